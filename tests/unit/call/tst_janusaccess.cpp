// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's media_room notice is only the hub's word: a member sends media to a Janus address
// only when its own signed policy lists it for the meeting's hub+janus backend, and trusts the
// key pins the policy gives for it (docs/scaling.md "Client media over Janus").
#include "call/JanusAccess.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::call;
using policy::Backend;
using policy::BackendKind;
using policy::Endpoint;

namespace {

Backend sfuBackend()
{
    Backend b;
    b.id = "dept-sfu";
    b.kind = BackendKind::HubJanus;
    b.endpoints = {{Endpoint::Role::Hub, "wss://hub.example:8443/", {"hubpin"}},
                   {Endpoint::Role::Janus, "wss://sfu1.example:8989/", {"pin-a", "pin-b"}},
                   {Endpoint::Role::Janus, "wss://sfu2.example:8989/", {"pin-c"}}};
    return b;
}

} // namespace

class TestJanusAccess : public QObject {
    Q_OBJECT

private slots:
    void aListedInstanceComesWithThePolicysPins()
    {
        const Backend b = sfuBackend();
        auto access = JanusAccess::check(&b, QStringLiteral("wss://sfu2.example:8989/"), 42,
                                         QStringLiteral("tok"));
        QVERIFY(access.ok());
        QCOMPARE(access->url, QUrl("wss://sfu2.example:8989/"));
        QCOMPARE(access->pins, QStringList({"pin-c"}));
        QCOMPARE(access->room, uint64_t(42));
        QCOMPARE(access->token, QStringLiteral("tok"));
        auto rotating = JanusAccess::check(&b, QStringLiteral("wss://sfu1.example:8989/"), 1,
                                           QStringLiteral("t"));
        QCOMPARE(rotating->pins, QStringList({"pin-a", "pin-b"}));
        // The policy may write the address with or without the final slash.
        auto bare = JanusAccess::check(&b, QStringLiteral("wss://sfu1.example:8989"), 1,
                                       QStringLiteral("t"));
        QCOMPARE(bare->pins, QStringList({"pin-a", "pin-b"}));
    }

    void anAddressThePolicyDoesNotListIsRefused()
    {
        const Backend b = sfuBackend();
        for (const char* url : {"wss://evil.example:8989/", "wss://hub.example:8443/",
                                "ws://sfu1.example:8989/", "wss://sfu1.example:8990/"}) {
            auto access = JanusAccess::check(&b, QString::fromLatin1(url), 1, QStringLiteral("t"));
            QVERIFY2(!access.ok(), url);
            QCOMPARE(access.error().code, std::string("media.janus_not_in_policy"));
            QVERIFY(access.error().isPolicyRefusal());
            QVERIFY(QString::fromStdString(access.error().message).contains(QLatin1String(url)));
        }
    }

    void onlyAHubJanusBackendTakesMediaToAnSfu()
    {
        Backend b = sfuBackend();
        b.kind = BackendKind::Hub;
        QCOMPARE(JanusAccess::check(&b, QStringLiteral("wss://sfu1.example:8989/"), 1,
                                    QStringLiteral("t"))
                     .error()
                     .code,
                 std::string("media.not_sfu_backend"));
        QCOMPARE(JanusAccess::check(nullptr, QStringLiteral("wss://sfu1.example:8989/"), 1,
                                    QStringLiteral("t"))
                     .error()
                     .code,
                 std::string("media.not_sfu_backend"));
    }
};

QTEST_GUILESS_MAIN(TestJanusAccess)
#include "tst_janusaccess.moc"
