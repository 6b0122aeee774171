// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "meeting/ContactBook.h"
#include "storage/ContactStore.h"

namespace conclave::conference {

/// The waiting room's contact checks, backed by the device database (desktop and CLI chairs). A
/// storage failure shows as "unknown" (the chair still sees the verified fingerprint) rather than
/// stopping the meeting.
class StoredContactBook final : public meeting::ContactBook {
public:
    StoredContactBook(storage::Database& db, const Clock& clock) : m_store(db), m_clock(clock) {}

    QString status(const QString& name, const crypto::Ed25519PublicKey& identity) override
    {
        auto s = m_store.status(name.toStdString(), identity);
        return s ? QString::fromLatin1(storage::toString(*s).data()) : QStringLiteral("unknown");
    }

    void remember(const QString& name, const crypto::Ed25519PublicKey& identity) override
    {
        (void)m_store.remember(name.toStdString(), identity, m_clock.now());
    }

private:
    storage::ContactStore m_store;
    const Clock& m_clock;
};

} // namespace conclave::conference
