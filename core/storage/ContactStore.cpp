// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/ContactStore.h"

#include "common/Iso8601.h"
#include "storage/Database.h"

namespace conclave::storage {

std::string_view toString(ContactStatus status)
{
    switch (status) {
    case ContactStatus::New:
        return "new";
    case ContactStatus::Known:
        return "known";
    case ContactStatus::KeyChanged:
        return "key_changed";
    case ContactStatus::Renamed:
        return "renamed";
    }
    return "new";
}

Result<ContactStatus> ContactStore::status(const std::string& name,
                                           const crypto::Ed25519PublicKey& identity)
{
    auto byKey = m_db.prepare("SELECT name FROM contacts WHERE identity = ?1");
    if (!byKey)
        return byKey.error();
    byKey->bindBlob(1, identity.view());
    auto keyRow = byKey->step();
    if (!keyRow)
        return keyRow.error();
    if (*keyRow)
        return byKey->columnText(0) == name ? ContactStatus::Known : ContactStatus::Renamed;
    auto byName = m_db.prepare("SELECT 1 FROM contacts WHERE name = ?1 LIMIT 1");
    if (!byName)
        return byName.error();
    byName->bindText(1, name);
    auto nameRow = byName->step();
    if (!nameRow)
        return nameRow.error();
    return *nameRow ? ContactStatus::KeyChanged : ContactStatus::New;
}

Result<void> ContactStore::remember(const std::string& name,
                                    const crypto::Ed25519PublicKey& identity, TimePoint at)
{
    auto stmt = m_db.prepare(
        "INSERT INTO contacts(identity, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
        "ON CONFLICT(identity) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen");
    if (!stmt)
        return stmt.error();
    stmt->bindBlob(1, identity.view()).bindText(2, name).bindText(3, formatUtcTimestamp(at));
    return stmt->run();
}

} // namespace conclave::storage
