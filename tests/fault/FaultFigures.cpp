// SPDX-License-Identifier: GPL-3.0-or-later
#include "FaultFigures.h"

#include "CliCommands.h"

#include <QElapsedTimer>
#include <QtTest>

namespace conclave::faults {

using testsupport::cliCommand;

QJsonObject last(const CliProcess& p, const QString& event, const Match& match)
{
    QJsonObject found;
    for (const QJsonObject& line : p.lines())
        if (line.value("event").toString() == event && (!match || match(line)))
            found = line;
    return found;
}

qsizetype countOf(const CliProcess& p, const QString& event, const Match& match)
{
    qsizetype n = 0;
    for (const QJsonObject& line : p.lines())
        if (line.value("event").toString() == event && (!match || match(line)))
            ++n;
    return n;
}

Match connectionState(const char* state)
{
    return [state](const QJsonObject& o) { return o.value("state").toString() == state; };
}

qint64 decodedFrom(const CliProcess& p, const QString& peer, const char* stream)
{
    return last(p, QStringLiteral("media"),
                [&](const QJsonObject& o) {
                    return o.value("name").toString() == peer &&
                           o.value("stream").toString() == QLatin1String(stream);
                })
        .value("decoded")
        .toInteger(-1);
}

QJsonObject firstAfter(const CliProcess& p, qsizetype from, const QString& event,
                       const Match& match)
{
    const QList<QJsonObject>& lines = p.lines();
    for (qsizetype i = from; i < lines.size(); ++i)
        if (lines[i].value("event").toString() == event && (!match || match(lines[i])))
            return lines[i];
    return {};
}

Tally tallyOf(const Sample& at, const CliProcess& sender, const QString& senderName,
              const CliProcess& receiver, const char* stream)
{
    const QJsonObject uplink = firstAfter(sender, at.at(&sender), QStringLiteral("uplink"));
    const QJsonObject media =
        firstAfter(receiver, at.at(&receiver), QStringLiteral("media"), [&](const QJsonObject& o) {
            return o.value("name").toString() == senderName &&
                   o.value("stream").toString() == QLatin1String(stream);
        });
    return Tally{uplink.value("frames_sent").toObject().value(QLatin1String(stream)).toInteger(-1),
                 media.value("decoded").toInteger(-1), media.value("packets").toInteger(-1),
                 media.value("packets_lost").toInteger(-1)};
}

double decodedShare(const Tally& before, const Tally& after)
{
    const qint64 sent = after.sent - before.sent;
    if (before.sent < 0 || before.decoded < 0 || after.decoded < 0 || sent <= 0)
        return -1;
    return double(after.decoded - before.decoded) / double(sent);
}

QString framesFigure(const Tally& before, const Tally& after)
{
    const double share = decodedShare(before, after);
    if (share < 0)
        return QStringLiteral("frames decoded vs sent unknown");
    const qint64 lost = after.lost - before.lost;
    const qint64 packets = after.packets - before.packets + lost;
    return QStringLiteral("decoded %1 of %2 frames sent (%3 %), %4 of %5 packets never repaired")
        .arg(after.decoded - before.decoded)
        .arg(after.sent - before.sent)
        .arg(qRound(share * 100))
        .arg(lost)
        .arg(packets);
}

qint64 msUntil(const std::function<bool()>& done, const QList<CliProcess*>& all, int timeoutMs,
               bool askMedia)
{
    QElapsedTimer timer;
    timer.start();
    qint64 asked = -1000;
    while (timer.elapsed() < timeoutMs) {
        if (askMedia && timer.elapsed() - asked >= 1000) {
            for (CliProcess* p : all)
                p->send(cliCommand("media-stats"));
            asked = timer.elapsed();
        }
        for (CliProcess* p : all)
            p->poll();
        if (done())
            return timer.elapsed();
        QTest::qWait(50);
    }
    return -1;
}

Sample sampleMedia(const QList<CliProcess*>& all)
{
    Sample at;
    for (CliProcess* p : all) {
        p->poll(); // what it printed before the request is not the answer
        at[p] = p->lines().size();
        p->send(cliCommand("media-stats"));
    }
    msUntil([] { return false; }, all, 1200);
    return at;
}

QString figure(qint64 ms)
{
    return ms < 0 ? QStringLiteral("never") : QStringLiteral("%1 ms").arg(ms);
}

} // namespace conclave::faults
