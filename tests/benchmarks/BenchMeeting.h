// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliProcess.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace conclave::bench {

/// The p-th percentile (0..1) of `v`; 0 for none.
double percentile(std::vector<double> v, double p);
/// {"samples", "p50", "p95", "max"} of `v`.
QJsonObject distribution(const std::vector<double>& v);
/// Reads the processes' output for `ms` milliseconds.
void pump(const std::vector<testsupport::CliProcess*>& all, int ms);

/// A meeting between real conclave-cli processes on loopback for the media benchmarks: a chair
/// on its embedded hub with one invite per name, and members who knock with them. `media` is
/// the --media mode of every process ("test", or "load" for many members on one machine).
class BenchMeeting {
public:
    BenchMeeting(const QString& dir, const QStringList& invitees, const QString& media);

    /// Starts `name`'s process; returns once the chair sees its knock.
    std::unique_ptr<testsupport::CliProcess> knock(const QString& name);
    /// Knocks and admits each of `names` in turn, each once the previous one holds a key.
    std::vector<std::unique_ptr<testsupport::CliProcess>> admitAll(const QStringList& names);

    std::unique_ptr<testsupport::CliProcess> chair;

private:
    QString m_dir;
    QString m_media;
    QMap<QString, QString> m_links;
};

} // namespace conclave::bench
