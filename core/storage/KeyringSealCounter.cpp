// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyringSealCounter.h"

#include "crypto/Fingerprint.h"
#include "storage/KeyringJob.h"
#include "storage/SealRecordText.h"
#include "storage/StorageLog.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace conclave::storage {

// A background write: `done` is set when the keyring answered; `job` deletes itself then.
struct KeyringSealCounter::Pending {
    bool done = false;
    QKeychain::Job* job = nullptr;
};

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

KeyringSealCounter::KeyringSealCounter(const crypto::Ed25519PublicKey& identity,
                                       std::string service, std::chrono::milliseconds timeout)
    : m_entry(entryName(identity)), m_service(std::move(service)), m_timeout(timeout)
{
}

KeyringSealCounter::~KeyringSealCounter()
{
    flush();
}

std::string KeyringSealCounter::entryName(const crypto::Ed25519PublicKey& identity)
{
    return "audit-seal-record-" + crypto::publicKeyId(identity.view());
}

std::string KeyringSealCounter::location() const
{
    return "the system keyring (service \"" + m_service + "\", entry \"" + m_entry + "\")";
}

Result<void> KeyringSealCounter::load()
{
    if (m_loaded)
        return m_loadError ? Result<void>(*m_loadError) : Result<void>();
    m_loaded = true;
    if (!QCoreApplication::instance()) {
        m_loadError = unavailable(location(), "the program has no Qt application object");
        return *m_loadError;
    }
    auto* job = new QKeychain::ReadPasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, true);
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return {};
    if (!outcome.finished || outcome.error != QKeychain::NoError) {
        m_loadError = unavailable(location(), KeyringJob::describe(outcome, m_timeout));
        return *m_loadError;
    }
    m_text = std::string(reinterpret_cast<const char*>(outcome.data.data()), outcome.data.size());
    return {};
}

Result<std::optional<SealRecord>>
KeyringSealCounter::read(const crypto::Ed25519PublicKey& deviceKey)
{
    if (auto loaded = load(); !loaded)
        return loaded.error();
    if (!m_text)
        return std::optional<SealRecord>{};
    auto record = SealRecordText::decode(*m_text, deviceKey, location());
    if (!record)
        return record.error();
    return std::optional<SealRecord>{std::move(record).value()};
}

Result<void> KeyringSealCounter::store(const SealRecord& record,
                                       const crypto::Ed25519SigningKey& deviceKey)
{
    m_text = SealRecordText::encode(record, deviceKey);

    auto pending = std::make_shared<Pending>();
    auto* job = new QKeychain::WritePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    job->setInsecureFallback(false); // never a plaintext settings file instead of a keyring
    job->setAutoDelete(true);
    job->setBinaryData(QByteArray(m_text->data(), static_cast<qsizetype>(m_text->size())));
    const std::string where = location();
    const int64_t sealId = record.sealId;
    QObject::connect(job, &QKeychain::Job::finished,
                     [pending, where, sealId](QKeychain::Job* done) {
                         pending->done = true;
                         pending->job = nullptr;
                         if (done->error() != QKeychain::NoError)
                             qCWarning(lcStorage, "seal %lld could not be recorded in %s: %s",
                                       static_cast<long long>(sealId), where.c_str(),
                                       done->errorString().toUtf8().constData());
                     });
    pending->job = job;
    m_pending.push_back(pending);
    job->start();
    return {};
}

void KeyringSealCounter::flush()
{
    for (const auto& pending : m_pending) {
        if (pending->done || !pending->job)
            continue;
        QEventLoop loop;
        QObject::connect(pending->job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(m_timeout, &loop, &QEventLoop::quit);
        if (!pending->done)
            loop.exec();
        if (!pending->done)
            qCWarning(lcStorage, "the keyring did not confirm the last seal record in time");
    }
    m_pending.clear();
}

Result<void> KeyringSealCounter::forget()
{
    flush();
    if (!QCoreApplication::instance())
        return unavailable(location(), "the program has no Qt application object");
    auto* job = new QKeychain::DeletePasswordJob(QString::fromStdString(m_service));
    job->setKey(QString::fromStdString(m_entry));
    const KeyringJob::Outcome outcome = KeyringJob::run(job, m_timeout, false);
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound)) {
        m_text.reset();
        return {};
    }
    return unavailable(location(), KeyringJob::describe(outcome, m_timeout));
}

} // namespace conclave::storage
