// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/EmbeddedHost.h"

#include "tls/TlsIdentity.h"

#include <QDir>
#include <QNetworkInterface>

namespace conclave::conference {

Result<std::unique_ptr<hub::HubServer>> EmbeddedHost::start(const QString& dataDir,
                                                            const QHostAddress& address,
                                                            quint16 port, const Clock& clock,
                                                            const crypto::Ed25519PublicKey& chair)
{
    auto identity = tls::TlsIdentity::loadOrCreate(QDir(dataDir).filePath(QStringLiteral("hub")),
                                                   QStringLiteral("conclave-embedded-hub"));
    if (!identity)
        return identity.error();
    hub::HubLimits limits;
    limits.allowedChairs.add(chair); // this computer's hub hosts this computer's chair only
    auto server =
        std::make_unique<hub::HubServer>(std::move(identity).value(), std::move(limits), clock);
    if (auto listening = server->listen(address, port); !listening)
        return listening.error();
    return server;
}

Result<std::unique_ptr<ChairController>>
EmbeddedHost::hostMeeting(const QString& dataDir, const QHostAddress& address, quint16 port,
                          const crypto::Ed25519SigningKey& identity,
                          const policy::PolicyDocument& policy, const Clock& clock,
                          meeting::ChairSetup setup, storage::AuditLog* audit)
{
    auto server = start(dataDir, address, port, clock, identity.publicKey());
    if (!server)
        return server.error();
    return hostMeeting(std::move(server).value(), identity, policy, clock, std::move(setup), audit);
}

Result<std::unique_ptr<ChairController>>
EmbeddedHost::hostMeeting(std::unique_ptr<hub::HubServer> server,
                          const crypto::Ed25519SigningKey& identity,
                          const policy::PolicyDocument& policy, const Clock& clock,
                          meeting::ChairSetup setup, storage::AuditLog* audit)
{
    setup.hubUrl = server->url().toString();
    setup.hubPin = server->spkiPin();
    setup.hostedHere = true;
    auto chair = meeting::ChairSession::create(identity, policy, clock, setup);
    if (!chair)
        return chair.error();
    return std::make_unique<ChairController>(
        std::move(chair).value(), std::make_unique<client::HubClient>(setup.hubUrl, setup.hubPin),
        std::move(server), audit);
}

QList<QHostAddress> EmbeddedHost::candidateAddresses()
{
    QList<QHostAddress> out{QHostAddress(QHostAddress::LocalHost)};
    for (const QNetworkInterface& nic : QNetworkInterface::allInterfaces()) {
        if (!nic.flags().testFlag(QNetworkInterface::IsUp) ||
            nic.flags().testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry& entry : nic.addressEntries()) {
            const QHostAddress ip = entry.ip();
            if (ip.isLinkLocal())
                continue; // needs a scope id nobody can type into an invite
            out << ip;
        }
    }
    return out;
}

} // namespace conclave::conference
