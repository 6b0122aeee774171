// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyringProtector.h"

#include "crypto/Fingerprint.h"
#include "crypto/SecretBox.h"
#include "storage/KeyringJob.h"
#include "storage/StorageLog.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

#include <optional>

namespace conclave::storage {
KeyringProtector::KeyringProtector(std::string service, std::chrono::milliseconds timeout)
    : m_service(std::move(service)), m_timeout(timeout)
{
}

std::string KeyringProtector::entryName(const crypto::Ed25519PublicKey& identity)
{
    return "identity-wrapping-key-" + crypto::publicKeyId(identity.view());
}

std::string KeyringProtector::location() const
{
    return "the system keyring (service \"" + m_service + "\")";
}

namespace {

Error unavailable(const std::string& why, bool unlocking)
{
    return makeError("storage.keyring_unavailable",
                     unlocking ? "The system keyring, which holds the key to this device's "
                                 "Conclave identity, could not be reached (" +
                                     why +
                                     "). Nothing was changed. Unlock or start your keyring "
                                     "(for example log in to the desktop session) and try again."
                               : "No system keyring could be reached (" + why +
                                     "), so the new identity cannot be protected by it. Use a "
                                     "passphrase or a key file instead.");
}

std::optional<Error> preconditions(bool unlocking)
{
    if (!QCoreApplication::instance())
        return unavailable("the program has no Qt application object", unlocking);
    return std::nullopt;
}

} // namespace

Result<WrappingKey> KeyringProtector::createWrappingKey(const crypto::Ed25519PublicKey& identity)
{
    if (auto e = preconditions(false))
        return *e;
    auto key = crypto::SecureBuffer::random(crypto::SecretBox::kKeySize);
    auto* job = new QKeychain::WritePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(entryName(identity)));
    const QByteArray bytes(reinterpret_cast<const char*>(key.data()),
                           static_cast<qsizetype>(key.size()));
    job->setBinaryData(bytes);
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, false);
    // A job that timed out may still be writing from this buffer; otherwise clear it.
    if (outcome.finished)
        KeyringJob::wipe(bytes);
    if (!outcome.finished || outcome.error != QKeychain::NoError) {
        qCInfo(lcStorage, "keyring not usable for a new identity: %s",
               KeyringJob::describe(outcome, m_timeout).c_str());
        return unavailable(KeyringJob::describe(outcome, m_timeout), false);
    }
    return WrappingKey{std::move(key), {}};
}

Result<crypto::SecureBuffer>
KeyringProtector::recoverWrappingKey(const crypto::Ed25519PublicKey& identity, const KeyDerivation&)
{
    if (auto e = preconditions(true))
        return *e;
    auto* job = new QKeychain::ReadPasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(entryName(identity)));
    KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, true);
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return makeError("storage.keyring_entry_missing",
                         "The system keyring no longer holds the key to this device's Conclave "
                         "identity (entry \"" +
                             entryName(identity) + "\" in " + location() +
                             "). Nothing was changed. If the keyring was reset, restore it from "
                             "a backup; Conclave will not replace the identity.");
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return unavailable(KeyringJob::describe(outcome, m_timeout), true);
    if (outcome.data.size() != crypto::SecretBox::kKeySize)
        return makeError(
            "storage.keyring_entry_invalid",
            "The keyring entry \"" + entryName(identity) +
                "\" does not hold a Conclave key (wrong length). Nothing was changed.");
    return std::move(outcome.data);
}

Result<void> KeyringProtector::forget(const crypto::Ed25519PublicKey& identity)
{
    if (auto e = preconditions(true))
        return *e;
    auto* job = new QKeychain::DeletePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(entryName(identity)));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, false);
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return {};
    return unavailable(KeyringJob::describe(outcome, m_timeout), true);
}

} // namespace conclave::storage
