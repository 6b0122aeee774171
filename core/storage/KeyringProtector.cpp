// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyringProtector.h"

#include "crypto/Fingerprint.h"
#include "crypto/SecretBox.h"
#include "storage/StorageLog.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>
#include <sodium.h>

#include <memory>
#include <optional>

namespace conclave::storage {
namespace {

struct JobOutcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    std::string errorText;
    crypto::SecureBuffer data; // read jobs only
};

// Wipes the bytes a QByteArray shares with QtKeychain's copy (constData() does not detach, so
// the shared buffer itself is cleared, not a fresh copy).
void wipe(const QByteArray& bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(const_cast<char*>(bytes.constData()), static_cast<size_t>(bytes.size()));
}

// QtKeychain is asynchronous; identity unlocking happens at start-up where a synchronous
// answer is wanted, so wait in a local loop. On timeout the job is left to finish and delete
// itself: deleting a job the secret service is still answering would crash later.
JobOutcome runJob(QKeychain::Job* rawJob, std::chrono::milliseconds timeout, bool readsData)
{
    std::unique_ptr<QKeychain::Job> job(rawJob);
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never a plaintext settings file instead of a keyring
    JobOutcome outcome;
    QEventLoop loop;
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&](QKeychain::Job* done) {
        outcome.finished = true;
        outcome.error = done->error();
        outcome.errorText = done->errorString().toStdString();
        if (readsData && done->error() == QKeychain::NoError) {
            const QByteArray bytes = static_cast<QKeychain::ReadPasswordJob*>(done)->binaryData();
            outcome.data =
                crypto::SecureBuffer::copyOf({reinterpret_cast<const uint8_t*>(bytes.constData()),
                                              static_cast<size_t>(bytes.size())});
            wipe(bytes);
        }
        loop.quit();
    });
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    job->start();
    if (!outcome.finished)
        loop.exec();
    if (!outcome.finished) {
        job->setAutoDelete(true);
        job.release()->disconnect(&loop);
    }
    return outcome;
}

} // namespace

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

std::string outcomeText(const JobOutcome& outcome, std::chrono::milliseconds timeout)
{
    if (!outcome.finished)
        return "no answer within " + std::to_string(timeout.count()) + " ms";
    return outcome.errorText.empty() ? "unknown keyring error" : outcome.errorText;
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
    const JobOutcome outcome = runJob(job, m_timeout, false);
    // A job that timed out may still be writing from this buffer; otherwise clear it.
    if (outcome.finished)
        wipe(bytes);
    if (!outcome.finished || outcome.error != QKeychain::NoError) {
        qCInfo(lcStorage, "keyring not usable for a new identity: %s",
               outcomeText(outcome, m_timeout).c_str());
        return unavailable(outcomeText(outcome, m_timeout), false);
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
    JobOutcome outcome = runJob(job, m_timeout, true);
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return makeError("storage.keyring_entry_missing",
                         "The system keyring no longer holds the key to this device's Conclave "
                         "identity (entry \"" +
                             entryName(identity) + "\" in " + location() +
                             "). Nothing was changed. If the keyring was reset, restore it from "
                             "a backup; Conclave will not replace the identity.");
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return unavailable(outcomeText(outcome, m_timeout), true);
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
    const JobOutcome outcome = runJob(job, m_timeout, false);
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return {};
    return unavailable(outcomeText(outcome, m_timeout), true);
}

} // namespace conclave::storage
