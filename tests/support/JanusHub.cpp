// SPDX-License-Identifier: GPL-3.0-or-later
#include "JanusHub.h"

#include "TestPaths.h"
#include "tls/TlsIdentity.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace conclave::testsupport {
namespace {

bool writeSecret(const QString& path, const QString& secret)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(secret.toUtf8());
    f.close();
    return f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

} // namespace

JanusHub::JanusHub(int instances)
{
    // As deployed (docs/operations.md): no API secret, since members open their own sessions,
    // and Janus's default session timeout, which the hub's 25 s keepalive is made for.
    JanusProcess::Options options;
    options.apiSecret = false;
    options.sessionTimeoutSeconds = 60;
    for (int i = 0; i < instances; ++i)
        m_janus.push_back(std::make_unique<JanusProcess>(options));
}

QString JanusHub::start()
{
    for (auto& j : m_janus)
        if (QString failure = j->start(); !failure.isEmpty())
            return failure;
    // The hub's key first: the policy must list its pin before anyone trusts the hub.
    auto hubKey = tls::TlsIdentity::loadOrCreate(path("hub"), QStringLiteral("conclave-hub"));
    if (!hubKey)
        return QString::fromStdString(hubKey.error().message);
    m_hubPin = hubKey->spkiPin;
    if (QString failure = writePolicy(); !failure.isEmpty())
        return failure;
    if (QString failure = writeInstanceList(); !failure.isEmpty())
        return failure;
    m_hub = std::make_unique<CliProcess>(
        binDir() + "/conclave-hub",
        QStringList{"--listen", "127.0.0.1:0", "--data", path("hub"), "--config", m_config,
                    "--backend", "sfu", "--janus", path("janus.json"), "--allow-any-chair"});
    const QJsonObject listening = m_hub->waitFor("listening");
    if (listening.value("spki").toString() != m_hubPin)
        return "the hub did not start with its key: " + m_hub->transcript();
    m_hubUrl = listening.value("url").toString();
    int ready = 0;
    const QJsonObject last = m_hub->waitFor("janus_instance", 15000, [&](const QJsonObject& o) {
        return o.value("detail").toString().endsWith(" ready") && ++ready == instances();
    });
    if (last.isEmpty())
        return "the hub did not reach every Janus instance: " + m_hub->transcript();
    return {};
}

QStringList JanusHub::memberArgs(bool host) const
{
    QStringList args{"--config", m_config};
    if (host)
        args << "--backend"
             << "sfu"
             << "--hub" << m_hubUrl << "--pin" << m_hubPin;
    // Janus's candidates are on its namespace's veth; a member's must be on the host's end.
    for (const auto& j : m_janus)
        args << "--media-address" << j->hostAddress();
    return args;
}

QString JanusHub::writePolicy()
{
    QJsonArray endpoints{QJsonObject{
        {"role", "hub"}, {"url", "wss://127.0.0.1:1"}, {"tls_spki_sha256", QJsonArray{m_hubPin}}}};
    for (const auto& j : m_janus)
        endpoints.append(QJsonObject{{"role", "janus"},
                                     {"url", j->wssUrl().toString()},
                                     {"tls_spki_sha256", QJsonArray{j->spkiPin()}}});
    QJsonObject policy = PolicyFixture::validPolicy();
    QJsonArray backends = policy["backends"].toArray();
    backends.append(QJsonObject{{"id", "sfu"},
                                {"name", "Committee SFU"},
                                {"kind", "hub+janus"},
                                {"endpoints", endpoints},
                                {"max_marking", "OFFICIAL-SENSITIVE"},
                                {"jurisdiction", "GB"},
                                {"operator", "Test IT"}});
    policy["backends"] = backends;
    m_config = path("config");
    if (!QDir().mkpath(m_config + "/trust-anchors") ||
        !QFile::copy(m_authority.anchorsDir() + "/authority.pub",
                     m_config + "/trust-anchors/a.pub"))
        return "cannot write the trust anchors into " + m_config;
    const QString signedPath =
        m_authority.writeSigned(QStringLiteral("policy.json"), PolicyFixture::toBytes(policy));
    if (!QFile::copy(signedPath, m_config + "/policy.json") ||
        !QFile::copy(signedPath + ".sig", m_config + "/policy.json.sig"))
        return "cannot write the policy into " + m_config;
    return {};
}

QString JanusHub::writeInstanceList()
{
    QJsonArray entries;
    for (int n = 0; n < instances(); ++n) {
        JanusProcess& j = *m_janus[size_t(n)];
        const QString key = path(QStringLiteral("janus%1.admin-key").arg(n));
        if (!writeSecret(key, j.adminKey()))
            return "cannot write " + key;
        QJsonObject instance{
            {"url", j.wssUrl().toString()}, {"spki_sha256", j.spkiPin()}, {"admin_key_file", key}};
        if (!j.apiSecret().isEmpty()) {
            const QString secret = path(QStringLiteral("janus%1.api-secret").arg(n));
            if (!writeSecret(secret, j.apiSecret()))
                return "cannot write " + secret;
            instance.insert("api_secret_file", secret);
        }
        entries.append(instance);
    }
    QFile list(path("janus.json"));
    if (!list.open(QIODevice::WriteOnly))
        return "cannot write " + list.fileName();
    list.write(QJsonDocument(QJsonObject{{"instances", entries}}).toJson());
    return {};
}

} // namespace conclave::testsupport
