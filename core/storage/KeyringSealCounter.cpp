// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyringSealCounter.h"

#include "crypto/Fingerprint.h"
#include "storage/KeyringJob.h"
#include "storage/SealRecordText.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

namespace conclave::storage {

KeyringSealCounter::KeyringSealCounter(const crypto::Ed25519PublicKey& identity,
                                       std::string service, std::chrono::milliseconds timeout)
    : m_entry(entryName(identity)), m_service(std::move(service)), m_timeout(timeout)
{
}

std::string KeyringSealCounter::entryName(const crypto::Ed25519PublicKey& identity)
{
    return "audit-seal-record-" + crypto::publicKeyId(identity.view());
}

std::string KeyringSealCounter::location() const
{
    return "the system keyring (service \"" + m_service + "\", entry \"" + m_entry + "\")";
}

namespace {

Error unavailable(const std::string& location, const std::string& why)
{
    return makeError("storage.seal_record_unavailable",
                     "The record of the last audit seal, in " + location +
                         ", could not be reached (" + why +
                         "). Unlock or start your keyring (for example log in to the desktop "
                         "session) and try again.");
}

} // namespace

Result<std::optional<SealRecord>>
KeyringSealCounter::read(const crypto::Ed25519PublicKey& deviceKey)
{
    if (!QCoreApplication::instance())
        return unavailable(location(), "the program has no Qt application object");
    auto* job = new QKeychain::ReadPasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, true);
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return std::optional<SealRecord>{};
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return unavailable(location(), KeyringJob::describe(outcome, m_timeout));
    const std::string_view text(reinterpret_cast<const char*>(outcome.data.data()),
                                outcome.data.size());
    auto record = SealRecordText::decode(text, deviceKey, location());
    if (!record)
        return record.error();
    return std::optional<SealRecord>{std::move(record).value()};
}

Result<void> KeyringSealCounter::advance(const SealRecord& record,
                                         const crypto::Ed25519SigningKey& deviceKey)
{
    // As SealCounterFile: never backwards, and a damaged record stays as evidence.
    auto stored = read(deviceKey.publicKey());
    if (!stored)
        return stored.error();
    if (*stored && (*stored)->sealId >= record.sealId)
        return {};
    const std::string text = SealRecordText::encode(record, deviceKey);
    auto* job = new QKeychain::WritePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    job->setBinaryData(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, false);
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return unavailable(location(), KeyringJob::describe(outcome, m_timeout));
    return {};
}

Result<void> KeyringSealCounter::forget()
{
    if (!QCoreApplication::instance())
        return unavailable(location(), "the program has no Qt application object");
    auto* job = new QKeychain::DeletePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, false);
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return {};
    return unavailable(location(), KeyringJob::describe(outcome, m_timeout));
}

} // namespace conclave::storage
