// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/TransactionGuard.h"

#include "storage/Database.h"
#include "storage/StorageLog.h"

#include <utility>

namespace conclave::storage {

TransactionGuard::TransactionGuard(Database& db) : m_db(&db) {}

Result<TransactionGuard> TransactionGuard::begin(Database& db)
{
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r)
        return r.error();
    return TransactionGuard(db);
}

TransactionGuard::TransactionGuard(TransactionGuard&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
{
}

TransactionGuard::~TransactionGuard()
{
    if (!m_db)
        return;
    // A failed rollback leaves SQLite to roll back when the connection closes; nothing better
    // can be done from a destructor, but it must not go unnoticed.
    if (auto r = m_db->exec("ROLLBACK"); !r)
        qCWarning(lcStorage, "rollback failed: %s", r.error().message.c_str());
}

Result<void> TransactionGuard::commit()
{
    if (!m_db)
        return makeError("storage.no_transaction", "the transaction was already finished");
    auto r = m_db->exec("COMMIT");
    if (r)
        m_db = nullptr;
    return r;
}

} // namespace conclave::storage
