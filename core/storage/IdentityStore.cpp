// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/IdentityStore.h"

#include "common/Iso8601.h"
#include "crypto/Blake2b.h"
#include "crypto/Fingerprint.h"
#include "crypto/SecretBox.h"
#include "storage/Database.h"
#include "storage/StorageLog.h"
#include "storage/TransactionGuard.h"

namespace conclave::storage {

struct IdentityStore::Stored {
    crypto::Bytes publicKey;
    std::string protection;
    crypto::Bytes sealedSecret;
    crypto::Bytes keyCheck;
    KeyDerivation derivation;
    bool derivationValid = true;
};

namespace {

// Lets a wrong key be told apart from a damaged record (both make SecretBox::open fail), so
// the user is asked for the passphrase again only when that can help. The check reveals no
// more than the sealed secret itself: both let a guess be tested at the cost of one Argon2id.
crypto::Bytes keyCheck(const crypto::SecureBuffer& key)
{
    return crypto::Blake2b(32)
        .updateField(crypto::asBytes("conclave identity wrapping key check v1"))
        .updateField(key.view())
        .finish();
}

} // namespace

IdentityStore::IdentityStore(Database& db, const Clock& clock) : m_db(db), m_clock(clock) {}

Error IdentityStore::tampered(const std::string& what) const
{
    return makeError("storage.identity_tampered",
                     "The Conclave identity stored in " + m_db.path() + " cannot be used: " + what +
                         ". The stored identity was changed or damaged. Nothing was changed, and "
                         "Conclave will not make a new identity in its place, because your "
                         "contacts would see your key change. Restore " +
                         m_db.path() + " from a backup.");
}

Result<std::optional<IdentityStore::Stored>> IdentityStore::readStored()
{
    auto stmt = m_db.prepare("SELECT public_key, protection, sealed_secret, key_check, kdf_salt, "
                             "kdf_ops, kdf_mem FROM identity WHERE id = 1");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Stored>{};
    Stored s;
    s.publicKey = stmt->columnBlob(0);
    s.protection = stmt->columnText(1);
    s.sealedSecret = stmt->columnBlob(2);
    s.keyCheck = stmt->columnBlob(3);
    s.derivation.salt = stmt->columnBlob(4);
    const int64_t ops = stmt->columnInt64(5);
    const int64_t mem = stmt->columnInt64(6);
    s.derivationValid = ops >= 0 && mem >= 0;
    s.derivation.opsLimit = static_cast<uint64_t>(ops);
    s.derivation.memLimit = static_cast<uint64_t>(mem);
    return std::optional<Stored>{std::move(s)};
}

Result<std::optional<crypto::Ed25519PublicKey>> IdentityStore::publicKey()
{
    auto stored = readStored();
    if (!stored)
        return stored.error();
    if (!*stored)
        return std::optional<crypto::Ed25519PublicKey>{};
    auto key = crypto::Ed25519PublicKey::fromBytes((*stored)->publicKey);
    if (!key)
        return tampered("its public key is not 32 bytes");
    return std::optional<crypto::Ed25519PublicKey>{*key};
}

Result<std::optional<ProtectionMode>> IdentityStore::protectionMode()
{
    auto stored = readStored();
    if (!stored)
        return stored.error();
    if (!*stored)
        return std::optional<ProtectionMode>{};
    auto mode = protectionModeFromString((*stored)->protection);
    if (!mode)
        return tampered("its protection '" + (*stored)->protection + "' is unknown");
    return std::optional<ProtectionMode>{*mode};
}

Result<crypto::Ed25519SigningKey> IdentityStore::loadOrCreate(KeyProtector& protector)
{
    auto stored = readStored();
    if (!stored)
        return stored.error();
    if (*stored)
        return unlock(protector, **stored);
    return create(protector);
}

Result<crypto::Ed25519SigningKey> IdentityStore::unlock(KeyProtector& protector,
                                                        const Stored& stored)
{
    const auto mode = protectionModeFromString(stored.protection);
    if (!mode)
        return tampered("its protection '" + stored.protection + "' is unknown");
    if (*mode != protector.mode())
        return makeError("storage.protection_mismatch",
                         "The Conclave identity in " + m_db.path() + " is protected by " +
                             std::string(describe(*mode)) +
                             ", but Conclave was asked to unlock "
                             "it with " +
                             std::string(describe(protector.mode())) +
                             ". Nothing was changed. Unlock it with " +
                             std::string(describe(*mode)) + ".");
    auto publicKey = crypto::Ed25519PublicKey::fromBytes(stored.publicKey);
    if (!publicKey)
        return tampered("its public key is not 32 bytes");
    if (!stored.derivationValid)
        return tampered("its passphrase settings are negative");

    auto key = protector.recoverWrappingKey(*publicKey, stored.derivation);
    if (!key)
        return key.error();
    if (!crypto::equalConstantTime(keyCheck(*key), stored.keyCheck)) {
        if (*mode == ProtectionMode::Passphrase)
            return makeError("storage.wrong_passphrase",
                             "That is not the passphrase that protects the Conclave identity in " +
                                 m_db.path() + ". Nothing was changed; try again.");
        return makeError("storage.wrong_key",
                         protector.location() +
                             " does not hold the key that protects the Conclave identity in " +
                             m_db.path() +
                             ". Nothing was changed. Use the key that was created "
                             "with this database, or restore it from a backup.");
    }
    auto secret = crypto::SecretBox::open(*key, stored.sealedSecret);
    if (!secret)
        return tampered("its sealed secret does not open with the right key");
    auto signingKey = crypto::Ed25519SigningKey::fromSecret(secret->view());
    if (!signingKey)
        return tampered("its secret key is inconsistent");
    if (signingKey->publicKey() != *publicKey)
        return tampered("its secret key does not belong to its public key");
    return signingKey;
}

Result<void> IdentityStore::insert(ProtectionMode mode, const crypto::Ed25519SigningKey& identity,
                                   const crypto::Bytes& sealed, const WrappingKey& wrapping)
{
    auto stmt = m_db.prepare(
        "INSERT INTO identity (id, public_key, protection, sealed_secret, key_check, kdf_salt, "
        "kdf_ops, kdf_mem, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    const KeyDerivation& d = wrapping.derivation;
    stmt->bindBlob(1, identity.publicKey().view())
        .bindText(2, toString(mode))
        .bindBlob(3, sealed)
        .bindBlob(4, keyCheck(wrapping.key))
        .bindText(8, formatUtcTimestamp(m_clock.now()));
    if (d.salt.empty())
        stmt->bindNull(5).bindNull(6).bindNull(7);
    else
        stmt->bindBlob(5, d.salt)
            .bindInt64(6, static_cast<int64_t>(d.opsLimit))
            .bindInt64(7, static_cast<int64_t>(d.memLimit));
    return stmt->run();
}

Result<crypto::Ed25519SigningKey> IdentityStore::create(KeyProtector& protector)
{
    // The protector may take a while (Argon2id, a keyring prompt), so the write lock is taken
    // only afterwards, and the table is checked again under it.
    auto identity = crypto::Ed25519SigningKey::generate();
    auto wrapping = protector.createWrappingKey(identity.publicKey());
    if (!wrapping)
        return wrapping.error();
    const crypto::Bytes sealed = crypto::SecretBox::seal(wrapping->key, identity.secret().view());

    std::optional<Stored> theirs;
    {
        auto tx = TransactionGuard::begin(m_db);
        if (!tx)
            return tx.error();
        auto existing = readStored();
        if (!existing)
            return existing.error();
        if (*existing) {
            theirs = std::move(**existing);
        } else {
            if (auto r = insert(protector.mode(), identity, sealed, *wrapping); !r)
                return r.error();
            if (auto r = tx->commit(); !r)
                return r.error();
        }
    }
    // Another process created an identity first; theirs is this device's identity. Unlocked
    // after the transaction above has ended, so the lock is not held while unlocking.
    if (theirs)
        return unlock(protector, *theirs);
    qCInfo(lcStorage, "created device identity %s protected by %s",
           crypto::publicKeyId(identity.publicKey().view()).c_str(),
           std::string(toString(protector.mode())).c_str());
    return identity;
}

} // namespace conclave::storage
