// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/Migrations.h"

#include "storage/Database.h"
#include "storage/StorageLog.h"
#include "storage/TransactionGuard.h"

#include <array>
#include <string>

namespace conclave::storage {
namespace {

// Tables are STRICT so a value of the wrong type is refused instead of stored. The audit
// tables deliberately carry no CHECK constraints: PRAGMA quick_check enforces those on open,
// and a tampered audit row must be reported by the audit verifier, naming the entry, rather
// than make the whole database refuse to open.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE identity (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    public_key    BLOB NOT NULL,
    protection    TEXT NOT NULL,
    sealed_secret BLOB NOT NULL,
    key_check     BLOB NOT NULL,
    kdf_salt      BLOB,
    kdf_ops       INTEGER,
    kdf_mem       INTEGER,
    created_at    TEXT NOT NULL
) STRICT;
CREATE TRIGGER identity_key_is_permanent BEFORE UPDATE OF public_key ON identity
BEGIN SELECT RAISE(ABORT, 'the device identity key cannot be replaced'); END;
CREATE TRIGGER identity_not_deleted BEFORE DELETE ON identity
BEGIN SELECT RAISE(ABORT, 'the device identity cannot be deleted'); END;

CREATE TABLE policy_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    highest_serial INTEGER NOT NULL,
    policy_hash    TEXT NOT NULL,
    accepted_at    TEXT NOT NULL
) STRICT;
CREATE TRIGGER policy_state_no_rollback BEFORE UPDATE OF highest_serial ON policy_state
WHEN NEW.highest_serial < OLD.highest_serial
BEGIN SELECT RAISE(ABORT, 'the accepted policy serial cannot go down'); END;
CREATE TRIGGER policy_state_not_deleted BEFORE DELETE ON policy_state
BEGIN SELECT RAISE(ABORT, 'the accepted policy state cannot be deleted'); END;

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    category  TEXT NOT NULL,
    marking   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE audit_seals (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL,
    entry_hash BLOB NOT NULL,
    signature  BLOB NOT NULL,
    signer     BLOB NOT NULL,
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_seals_by_entry ON audit_seals(entry_id);
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
)sql";

// Contacts remembered trust-on-first-use: one row per identity key, with the name it came
// under. A known name with a new key is what the waiting room warns about.
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE contacts (
    identity   BLOB PRIMARY KEY CHECK (length(identity) = 32),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 512),
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
) STRICT;
CREATE INDEX contacts_by_name ON contacts(name);
)sql";

// The anti-rollback record per security authority (keyed by the signing anchor's key id), so
// a policy signed by one authority - e.g. a self-made one a user briefly trusted - cannot
// raise the floor for another. The single-row policy_state of schema 1 is left as history and
// no longer consulted: its serial was not tied to a signer (docs/policy.md).
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE policy_serials (
    authority      TEXT PRIMARY KEY CHECK (length(authority) BETWEEN 1 AND 64),
    highest_serial INTEGER NOT NULL CHECK (highest_serial >= 1),
    policy_hash    TEXT NOT NULL,
    accepted_at    TEXT NOT NULL
) STRICT;
CREATE TRIGGER policy_serials_no_rollback BEFORE UPDATE OF highest_serial ON policy_serials
WHEN NEW.highest_serial < OLD.highest_serial
BEGIN SELECT RAISE(ABORT, 'the accepted policy serial cannot go down'); END;
CREATE TRIGGER policy_serials_same_authority BEFORE UPDATE OF authority ON policy_serials
BEGIN SELECT RAISE(ABORT, 'an accepted policy serial cannot move to another authority'); END;
CREATE TRIGGER policy_serials_not_deleted BEFORE DELETE ON policy_serials
BEGIN SELECT RAISE(ABORT, 'the accepted policy serials cannot be deleted'); END;
)sql";

// Each policy_serials row carries an Ed25519 signature by the device identity key over its
// content (RowSignature), checked on every read, so a row edited with the triggers dropped or
// copied from another device is reported rather than trusted. An upgrade from schema 2 meets
// an empty policy_serials (step 3 starts the per-authority record afresh), so nothing needs
// adopting; rows written under schema 3 have no signature, and the settings row marks them for
// the device to sign once, when it next has its key (PolicyStateStore::signUnsignedRows).
// Without the mark an unsigned row is an edit. policy_state, no longer consulted, is not
// signed.
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE policy_serials ADD COLUMN signature BLOB;
INSERT INTO settings (key, value)
SELECT 'policy_serials_unsigned_from_schema_3', 'sign once with the device key'
WHERE EXISTS (SELECT 1 FROM policy_serials);
)sql";

// Meetings history and invites arrive as later steps, appended here.
constexpr std::array kMigrations{
    Migration{1, "identity, policy state, audit log and seals, settings", kMigration1},
    Migration{2, "contacts (trust on first use)", kMigration2},
    Migration{3, "highest policy serial per security authority", kMigration3},
    Migration{4, "policy serial rows signed by the device key", kMigration4},
};

} // namespace

std::span<const Migration> Migrations::all()
{
    return kMigrations;
}

int Migrations::latestVersion()
{
    return kMigrations.back().version;
}

Result<void> Migrations::apply(Database& db)
{
    return apply(db, all());
}

Result<void> Migrations::apply(Database& db, std::span<const Migration> steps)
{
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].version != static_cast<int>(i + 1))
            return makeError("storage.bad_migrations",
                             "internal error: schema steps must be numbered 1, 2, 3 ... in order");
    }
    const auto newest = static_cast<int64_t>(steps.size());
    for (;;) {
        // Re-read the version inside each write transaction: another process may have
        // migrated the same file while this one waited for the lock.
        auto tx = TransactionGuard::begin(db);
        if (!tx)
            return tx.error();
        auto current = db.pragmaInt("user_version");
        if (!current)
            return current.error();
        if (*current == newest)
            return tx->commit();
        if (*current > newest || *current < 0)
            return makeError("storage.too_new",
                             "The Conclave database " + db.path() +
                                 " was written by a newer version of Conclave (schema " +
                                 std::to_string(*current) + "; this version understands up to " +
                                 std::to_string(newest) +
                                 "). Nothing was changed. Install the newer version again.");
        const Migration& step = steps[static_cast<size_t>(*current)];
        if (auto r = db.exec(step.sql); !r)
            return makeError(r.error().code, "Conclave could not upgrade its database to schema " +
                                                 std::to_string(step.version) +
                                                 "; it was left as it was. " + r.error().message);
        if (auto r = db.exec("PRAGMA user_version = " + std::to_string(step.version)); !r)
            return r.error();
        if (auto r = tx->commit(); !r)
            return r.error();
        qCInfo(lcStorage, "database %s upgraded to schema %d (%.*s)", db.path().c_str(),
               step.version, static_cast<int>(step.description.size()), step.description.data());
    }
}

} // namespace conclave::storage
