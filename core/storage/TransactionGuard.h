// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

namespace conclave::storage {

class Database;

/// BEGIN IMMEDIATE on creation, ROLLBACK on destruction unless commit() succeeded. IMMEDIATE
/// takes the write lock up front, so a read-then-write (next audit id, highest serial) cannot
/// race another process between the read and the write.
class TransactionGuard {
public:
    static Result<TransactionGuard> begin(Database& db);
    ~TransactionGuard();
    TransactionGuard(TransactionGuard&& other) noexcept;
    TransactionGuard& operator=(TransactionGuard&&) = delete;
    TransactionGuard(const TransactionGuard&) = delete;
    TransactionGuard& operator=(const TransactionGuard&) = delete;

    Result<void> commit();

private:
    explicit TransactionGuard(Database& db);

    Database* m_db = nullptr; // null once committed, rolled back or moved from
};

} // namespace conclave::storage
