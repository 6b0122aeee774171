// SPDX-License-Identifier: GPL-3.0-or-later
// `conclave --headless --demo` as a process: the demo meeting on this computer with three
// simulated participants and encrypted test media, played through without a display.
#include "CliProcess.h"
#include "TestPaths.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using testsupport::CliProcess;

class TestHeadlessDemo : public QObject {
    Q_OBJECT

private slots:
    void theDemoRunsToTheEndWithoutADisplay()
    {
        QTemporaryDir data;
        CliProcess demo(testsupport::binDir() + QStringLiteral("/conclave"),
                        {QStringLiteral("--headless"), QStringLiteral("--demo"),
                         QStringLiteral("--data"), data.path(), QStringLiteral("--config"),
                         data.filePath(QStringLiteral("no-policy"))});
        const QJsonObject meeting = demo.waitFor(QStringLiteral("meeting"));
        QCOMPARE(meeting.value(QStringLiteral("marking")).toString(), QStringLiteral("OFFICIAL"));
        QVERIFY(meeting.value(QStringLiteral("hub"))
                    .toString()
                    .startsWith(QStringLiteral("wss://127.0.0.1:")));
        const QJsonObject finished = demo.waitFor(QStringLiteral("demo_finished"), 120000);
        QCOMPARE(demo.waitForExit(), 0);
        QVERIFY2(finished.value(QStringLiteral("ok")).toBool(), qPrintable(demo.transcript()));
        // The chair saw and heard the others: real frames, decrypted and decoded.
        QVERIFY(finished.value(QStringLiteral("frames_decoded_by_chair")).toInteger() > 30);

        // What happened, in order: three knocks (two invited, one not), then the newcomer's
        // decisions and their effects.
        QStringList story;
        QStringList invites;
        for (const QJsonObject& line : demo.lines()) {
            const QString event = line.value(QStringLiteral("event")).toString();
            if (event == QLatin1String("knock"))
                invites << line.value(QStringLiteral("invite")).toString();
            if (event == QLatin1String("admitted") || event == QLatin1String("denied") ||
                event == QLatin1String("removed"))
                story << event + QLatin1Char(' ') + line.value(QStringLiteral("name")).toString();
            if (event == QLatin1String("suspended") || event == QLatin1String("resumed") ||
                event == QLatin1String("ended"))
                story << event;
        }
        invites.sort();
        QCOMPARE(invites, (QStringList{QStringLiteral("invited"), QStringLiteral("invited"),
                                       QStringLiteral("uninvited")}));
        QCOMPARE(story,
                 (QStringList{QStringLiteral("admitted Amelia Hart"),
                              QStringLiteral("denied Sam Walker"),
                              QStringLiteral("admitted Jordan Reyes"),
                              QStringLiteral("removed Jordan Reyes"), QStringLiteral("suspended"),
                              QStringLiteral("resumed"), QStringLiteral("ended")}));
        // The disruption reached the chair before the removal.
        QVERIFY(demo.has(QStringLiteral("chat")));
    }
};

QTEST_MAIN(TestHeadlessDemo)
#include "tst_headless_demo.moc"
