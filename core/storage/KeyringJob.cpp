// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyringJob.h"

#include <QEventLoop>
#include <QTimer>
#include <sodium.h>

#include <memory>

namespace conclave::storage {

void KeyringJob::wipe(const QByteArray& bytes)
{
    // constData() does not detach, so the buffer shared with QtKeychain is cleared, not a copy.
    if (!bytes.isEmpty())
        sodium_memzero(const_cast<char*>(bytes.constData()), static_cast<size_t>(bytes.size()));
}

KeyringJob::Outcome KeyringJob::run(QKeychain::Job* rawJob, std::chrono::milliseconds timeout,
                                    bool readsData)
{
    std::unique_ptr<QKeychain::Job> job(rawJob);
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never a plaintext settings file instead of a keyring
    Outcome outcome;
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

std::string KeyringJob::describe(const Outcome& outcome, std::chrono::milliseconds timeout)
{
    if (!outcome.finished)
        return "no answer within " + std::to_string(timeout.count()) + " ms";
    return outcome.errorText.empty() ? "unknown keyring error" : outcome.errorText;
}

} // namespace conclave::storage
