// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-test-evil-hub: a real hub behind a tampering relay, for the malicious-hub tests.
// Usage: conclave-test-evil-hub DATA_DIR MODE[,MODE...]
// First line: {"event":"listening","url":…,"spki":…} (the relay's address and pinned key).
#include "EvilHubRelay.h"
#include "common/Clock.h"
#include "hub/HubServer.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    using namespace conclave;
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        std::fputs("usage: conclave-test-evil-hub DATA_DIR MODE[,MODE...]\n", stderr);
        return 2;
    }
    const SystemClock clock;
    // The operator runs the real hub with the same key it presents in front, so the hub's own
    // checks (descriptor pin = its key) pass and only the relay's tampering is under test.
    auto frontIdentity = tls::TlsIdentity::loadOrCreate(args[1] + "/hub", "evil-hub");
    if (!frontIdentity)
        return 4;
    hub::HubLimits limits;
    limits.allowAnyChair = true; // a test hub: chairs are made per test
    hub::HubServer inner(*frontIdentity, limits, clock);
    if (!inner.listen(QHostAddress::LocalHost, 0))
        return 4;
    const QString pin = frontIdentity->spkiPin;
    const auto modes = args[2].split(QLatin1Char(','));
    testsupport::EvilHubRelay relay(std::move(frontIdentity).value(), inner.url(),
                                    QSet<QString>(modes.begin(), modes.end()));
    if (!relay.listen())
        return 4;
    const QByteArray line =
        QJsonDocument(
            QJsonObject{{"event", "listening"}, {"url", relay.url().toString()}, {"spki", pin}})
            .toJson(QJsonDocument::Compact);
    std::printf("%s\n", line.constData());
    std::fflush(stdout);
    return QCoreApplication::exec();
}
