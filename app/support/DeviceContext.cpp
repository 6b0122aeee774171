// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceContext.h"

#include "SerialLedger.h"
#include "policy/BuiltinPolicy.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/IdentityStore.h"
#include "storage/KeyFileProtector.h"
#ifdef CONCLAVE_HAVE_QTKEYCHAIN
#include "storage/KeyringProtector.h"
#endif

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace conclave::app {
namespace {

using storage::ProtectionMode;

Result<std::unique_ptr<storage::KeyProtector>> protectorFor(ProtectionMode mode,
                                                            const std::string& databasePath)
{
    switch (mode) {
    case ProtectionMode::KeyFile:
        return std::unique_ptr<storage::KeyProtector>(
            new storage::KeyFileProtector(storage::KeyFileProtector::defaultPathFor(databasePath)));
    case ProtectionMode::Keyring:
#ifdef CONCLAVE_HAVE_QTKEYCHAIN
        return std::unique_ptr<storage::KeyProtector>(new storage::KeyringProtector());
#else
        return makeError("identity.keyring_unsupported",
                         "this device's identity key is protected by the OS keyring, but this "
                         "build of Conclave has no keyring support; use a build with QtKeychain");
#endif
    case ProtectionMode::Passphrase:
        break;
    }
    return makeError("identity.passphrase_needed",
                     "this device's identity key is protected by a passphrase, which this program "
                     "cannot ask for; start the desktop app to unlock it");
}

std::string compactJson(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

DeviceContext::DeviceContext(std::unique_ptr<storage::Database> db,
                             crypto::Ed25519SigningKey identity, ProtectionMode mode, bool created,
                             const Clock& clock, QString dataDir)
    : m_db(std::move(db)), m_identity(std::move(identity)), m_mode(mode), m_created(created),
      m_clock(clock), m_dataDir(std::move(dataDir)),
      m_audit(std::make_unique<storage::AuditLog>(*m_db, m_identity, m_clock))
{
}

DeviceContext::~DeviceContext() = default;

Result<std::unique_ptr<DeviceContext>>
DeviceContext::open(const QString& dataDir, const Clock& clock, KeyProtection protection)
{
    if (!QDir().mkpath(dataDir))
        return makeError("file.unwritable",
                         "cannot create the data directory " + dataDir.toStdString());
    const std::string path = QDir(dataDir).filePath(QStringLiteral("conclave.db")).toStdString();
    auto db = storage::Database::open(path);
    if (!db)
        return db.error();
    storage::IdentityStore identities(**db, clock);
    auto existingMode = identities.protectionMode();
    if (!existingMode)
        return existingMode.error();

    std::unique_ptr<storage::KeyProtector> protector;
    if (*existingMode) {
        auto p = protectorFor(**existingMode, path);
        if (!p)
            return p.error();
        protector = std::move(p).value();
    } else {
#ifdef CONCLAVE_HAVE_QTKEYCHAIN
        if (protection == KeyProtection::PreferKeyring)
            protector = std::make_unique<storage::KeyringProtector>();
#else
        (void)protection;
#endif
    }
    const bool created = !*existingMode;
    auto key = protector
                   ? identities.loadOrCreate(*protector)
                   : Result<crypto::Ed25519SigningKey>(Error{"storage.keyring_unavailable", ""});
    if (!key && created && key.error().code == "storage.keyring_unavailable") {
        // No keyring answers (headless machines, CI): fall back to a 0600 key file.
        protector = std::make_unique<storage::KeyFileProtector>(
            storage::KeyFileProtector::defaultPathFor(path));
        key = identities.loadOrCreate(*protector);
    }
    if (!key)
        return key.error();
    auto context = std::unique_ptr<DeviceContext>(new DeviceContext(
        std::move(db).value(), std::move(key).value(), protector->mode(), created, clock, dataDir));
    if (created)
        (void)context->m_audit->append(
            "identity.created", "",
            compactJson({{QStringLiteral("protection"),
                          QString::fromStdString(std::string(toString(protector->mode())))}}));
    return context;
}

EffectivePolicy DeviceContext::loadPolicy(const ConfigLocations& locations)
{
    SerialLedger ledger(*m_db, locations.ledgerFile);
    EffectivePolicy effective = PolicyLoader(m_clock).loadRecorded(locations, ledger);
    for (const Error& notice : effective.notices)
        (void)m_audit->append(
            "config.ignored", "",
            compactJson({{QStringLiteral("code"), QString::fromStdString(notice.code)},
                         {QStringLiteral("reason"), QString::fromStdString(notice.message)}}));
    QJsonObject detail{
        {QStringLiteral("policy"), QString::fromStdString(effective.document.describe())}};
    if (effective.problem) {
        detail.insert(QStringLiteral("code"), QString::fromStdString(effective.problem->code));
        detail.insert(QStringLiteral("reason"), QString::fromStdString(effective.problem->message));
    }
    (void)m_audit->append(effective.verified ? "policy.accepted" : "policy.builtin", "",
                          compactJson(detail));
    return effective;
}

} // namespace conclave::app
