// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliProcess.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <map>

/// Reading figures out of the conclave-cli processes of a fault test (docs/operations.md
/// "Faults, measured"): their JSON lines, how long until something holds, and frames decoded
/// against frames sent over a fault.
namespace conclave::faults {

using testsupport::CliProcess;
using Match = std::function<bool(const QJsonObject&)>;

/// The last line `p` printed with this event (and matching `match`); empty when none.
QJsonObject last(const CliProcess& p, const QString& event, const Match& match = {});
qsizetype countOf(const CliProcess& p, const QString& event, const Match& match = {});
/// Matches `connection` lines in this state ("reconnecting", "resumed").
Match connectionState(const char* state);
/// Frames of `peer`'s stream `p` has decoded, from its latest media line.
qint64 decodedFrom(const CliProcess& p, const QString& peer, const char* stream = "video");

/// Where each process's output stood when it was asked for media statistics: the first lines
/// after it answer that request (printed at once), so counts read there are of one moment -
/// unlike the latest lines, which a process prints every 2 s on its own.
using Sample = std::map<const CliProcess*, qsizetype>;
/// The first line `p` printed with this event after line `from` (and matching `match`).
QJsonObject firstAfter(const CliProcess& p, qsizetype from, const QString& event,
                       const Match& match = {});

/// One stream from one member to another, counted at one moment: what left the sender and
/// what the receiver decoded of it.
struct Tally {
    qint64 sent = -1;
    qint64 decoded = -1;
    qint64 packets = -1; ///< RTP packets the receiver got of it (after repair)
    qint64 lost = -1;    ///< and those that stayed lost (never repaired)
};
/// Sender and receiver as they answered the request of `at`.
Tally tallyOf(const Sample& at, const CliProcess& sender, const QString& senderName,
              const CliProcess& receiver, const char* stream = "video");
/// What of the frames sent between two tallies was decoded: a fraction (-1 when unknown).
double decodedShare(const Tally& before, const Tally& after);
/// "decoded D of S frames sent (P %), L of N packets never repaired" between two tallies.
QString framesFigure(const Tally& before, const Tally& after);

/// Milliseconds until `done` holds, reading every process's output every 50 ms (and asking
/// for media statistics every second when `askMedia`); -1 when `timeoutMs` passed first.
qint64 msUntil(const std::function<bool()>& done, const QList<CliProcess*>& all, int timeoutMs,
               bool askMedia = false);
/// Asks everyone for media statistics and reads the answers (they come within a second).
Sample sampleMedia(const QList<CliProcess*>& all);
/// "N ms", or "never" for -1.
QString figure(qint64 ms);

} // namespace conclave::faults
