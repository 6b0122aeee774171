// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceContext.h"

#include "SerialLedger.h"
#include "policy/BuiltinPolicy.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/IdentityStore.h"
#include "storage/KeyFileProtector.h"
#include "storage/PolicyStateStore.h"
#include "storage/SealCounterFile.h"
#ifdef CONCLAVE_HAVE_QTKEYCHAIN
#include "storage/KeyringProtector.h"
#include "storage/KeyringSealCounter.h"
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

// Where the newest audit seal is recorded outside the database: beside the identity's key
// (the keyring) when the keyring protects it, else in a signed file beside the database.
std::unique_ptr<storage::SealCounter> sealCounterFor(ProtectionMode mode,
                                                     const crypto::Ed25519PublicKey& identity,
                                                     const std::string& databasePath)
{
#ifdef CONCLAVE_HAVE_QTKEYCHAIN
    if (mode == ProtectionMode::Keyring)
        return std::make_unique<storage::KeyringSealCounter>(identity);
#else
    (void)mode;
    (void)identity;
#endif
    return std::make_unique<storage::SealCounterFile>(
        storage::SealCounterFile::defaultPathFor(databasePath));
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
      m_sealCounter(sealCounterFor(m_mode, m_identity.publicKey(), m_db->path())),
      m_audit(std::make_unique<storage::AuditLog>(*m_db, m_identity, m_clock, m_sealCounter.get()))
{
}

DeviceContext::~DeviceContext()
{
    // A clean exit seals what this run wrote, so at most a crash leaves unsealed entries, and
    // the seal record outside the database covers the whole log.
    if (auto sealed = m_audit->seal(); !sealed)
        qWarning("the audit log could not be sealed on exit: %s", sealed.error().message.c_str());
}

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
    // Reads the seal record now, at start-up, where waiting for a keyring is expected; later
    // seals during a meeting are then recorded without waiting. A problem with it is reported
    // by audit verify, not here.
    (void)context->m_sealCounter->read(context->m_identity.publicKey());
    // Rows from before policy state was signed are signed once, as the schema upgrade marked
    // them; any other unsigned row is an edit and is reported when read. Audited, so a forged
    // mark shows in the log. A failure leaves the mark for the next start.
    auto adopted =
        storage::PolicyStateStore(*context->m_db, &context->m_identity).signUnsignedRows();
    if (!adopted)
        qWarning("policy state from before signed rows could not be signed yet: %s",
                 adopted.error().message.c_str());
    else if (*adopted > 0)
        (void)context->m_audit->append("policy_state.signed", "",
                                       compactJson({{QStringLiteral("rows"), *adopted}}));
    if (created)
        (void)context->m_audit->append(
            "identity.created", "",
            compactJson({{QStringLiteral("protection"),
                          QString::fromStdString(std::string(toString(protector->mode())))}}));
    return context;
}

EffectivePolicy DeviceContext::loadPolicy(const ConfigLocations& locations)
{
    // The device's own rows are signed with its identity key and checked on every read.
    SerialLedger ledger(*m_db, locations.ledgerFile, &m_identity);
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
