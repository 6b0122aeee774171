// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliProcess.h"
#include "Percentile.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace conclave::bench {

using testsupport::percentile;
/// {"samples", "p50", "p95", "max"} of `v`.
QJsonObject distribution(const std::vector<double>& v);
/// Reads the processes' output for `ms` milliseconds.
void pump(const std::vector<testsupport::CliProcess*>& all, int ms);

/// Where a benchmark meeting runs: the arguments its chair and its members get besides their
/// own (policy folder, hub, media addresses).
struct BenchBackend {
    QStringList hostArgs;
    QStringList memberArgs;
    /// The chair on its embedded hub, everyone on loopback, under the built-in policy.
    static BenchBackend embedded(const QString& dir);
};

/// A meeting between real conclave-cli processes for the media benchmarks: a chair with one
/// invite per name, and members who knock with them. `media` is the --media mode of every
/// process ("test", or "load" for many members on one machine).
class BenchMeeting {
public:
    BenchMeeting(const QString& dir, const QStringList& invitees, const QString& media,
                 BenchBackend backend);
    BenchMeeting(const QString& dir, const QStringList& invitees, const QString& media)
        : BenchMeeting(dir, invitees, media, BenchBackend::embedded(dir))
    {
    }

    /// Starts `name`'s process; returns once the chair sees its knock. `others` (members
    /// already in) are read meanwhile: a process whose output nobody reads blocks writing it
    /// (its pipe holds 64 KB, a few seconds of a large meeting's statistics) and stalls.
    std::unique_ptr<testsupport::CliProcess>
    knock(const QString& name, const std::vector<testsupport::CliProcess*>& others = {});
    /// Admits `name` (knocking as `newcomer`); returns once it holds the meeting's key, with a
    /// clock started at the admit the chair carried out (invalid if none within 40 s). The
    /// chair changes keys at most 8 times in 10 s (meeting::EpochPacer): an admission refused
    /// for that (kPaced) is asked again a second later, as a chair would.
    QElapsedTimer admit(const QString& name, testsupport::CliProcess& newcomer,
                        const std::vector<testsupport::CliProcess*>& others = {});
    /// Lets `newcomer` wait in the waiting room as long as a quick chair takes to look at a
    /// knock and click (kChairReactionMs), as in a real meeting: its media is ready by then
    /// (its DTLS certificate is made while it waits, media::prepareDtlsCertificate).
    void awaitChairsClick(testsupport::CliProcess& newcomer);
    /// Knocks and admits each of `names` in turn, each once the previous one holds a key.
    std::vector<std::unique_ptr<testsupport::CliProcess>> admitAll(const QStringList& names);

    std::unique_ptr<testsupport::CliProcess> chair;

    /// The chair's refusal of a key change beyond its pace.
    static constexpr const char* kPaced = "keys.epoch_rate";
    static constexpr int kChairReactionMs = 1500;

private:
    QString m_dir;
    QString m_media;
    BenchBackend m_backend;
    QMap<QString, QString> m_links;
};

} // namespace conclave::bench
