// SPDX-License-Identifier: GPL-3.0-or-later
// Which carriage a meeting's media gets (call::transportFor): Janus for a hub+janus backend as
// this member's policy describes it, the mesh for every other backend or an unknown one - and
// the backend is read when the first epoch makes the transport, not when the media starts.
#include "call/TransportChoice.h"
#include "media/JanusTransport.h"
#include "media/MeshTransport.h"

#include <QtTest>

using namespace conclave;
using policy::Backend;
using policy::BackendKind;

namespace {

std::unique_ptr<media::MediaTransport> make(const policy::Backend* backend)
{
    return call::transportFor([backend] { return backend; })(media::TransportContext{});
}

} // namespace

class TestTransportChoice : public QObject {
    Q_OBJECT

private slots:
    void aHubJanusBackendSendsMediaThroughJanus()
    {
        Backend b;
        b.kind = BackendKind::HubJanus;
        const auto transport = make(&b);
        QVERIFY(dynamic_cast<media::JanusTransport*>(transport.get()));
    }

    void otherBackendsAndAnUnknownOneUseTheMesh()
    {
        for (BackendKind kind : {BackendKind::Embedded, BackendKind::Hub}) {
            Backend b;
            b.kind = kind;
            const auto transport = make(&b);
            QVERIFY(dynamic_cast<media::MeshTransport*>(transport.get()));
        }
        const auto unknown = make(nullptr);
        QVERIFY(dynamic_cast<media::MeshTransport*>(unknown.get()));
    }

    void theBackendIsReadWhenTheTransportIsMade()
    {
        const Backend* known = nullptr;
        Backend b;
        b.kind = BackendKind::HubJanus;
        const media::TransportFactory factory = call::transportFor([&known] { return known; });
        known = &b; // the descriptor arrived after the media started, before the first epoch
        const auto transport = factory(media::TransportContext{});
        QVERIFY(dynamic_cast<media::JanusTransport*>(transport.get()));
    }

    void aJanusTransportRefusesMemberToMemberSignalling()
    {
        Backend b;
        b.kind = BackendKind::HubJanus;
        const auto transport = make(&b);
        const auto refused = transport->onSignal(1, QByteArray("offer"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.not_mesh"));
    }
};

QTEST_GUILESS_MAIN(TestTransportChoice)
#include "tst_transportchoice.moc"
