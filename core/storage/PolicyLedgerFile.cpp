// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PolicyLedgerFile.h"

#include "common/Iso8601.h"
#include "storage/PolicyStateStore.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>

namespace conclave::storage {
namespace {

constexpr qint64 kMaxBytes = 1024 * 1024;

Error damaged(const QString& path, const std::string& what)
{
    return Error{"storage.corrupt",
                 "The policy ledger " + path.toStdString() + " is damaged (" + what +
                     "). Conclave will not guess which policies are current, so no signed "
                     "policy is used until an administrator restores the file from a backup."};
}

} // namespace

PolicyLedgerFile::PolicyLedgerFile(QString path) : m_path(std::move(path)) {}

Result<std::map<std::string, PolicyState>> PolicyLedgerFile::read() const
{
    std::map<std::string, PolicyState> records;
    QFile file(m_path);
    if (!file.exists())
        return records;
    if (!file.open(QIODevice::ReadOnly))
        return makeError("file.unreadable", "cannot read the policy ledger " +
                                                m_path.toStdString() + ": " +
                                                file.errorString().toStdString());
    const QByteArray bytes = file.read(kMaxBytes + 1);
    if (bytes.size() > kMaxBytes)
        return damaged(m_path, "larger than 1 MiB");
    const QList<QByteArray> lines = bytes.split('\n');
    if (lines.isEmpty() || lines.front() != kHeader)
        return damaged(m_path, "it does not start with " + std::string(kHeader));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        const QList<QByteArray> f = lines[i].split(' ');
        const std::string where = "line " + std::to_string(i + 1);
        if (f.size() != 4)
            return damaged(m_path, where + " does not have four fields");
        bool ok = false;
        const qulonglong serial = f[1].toULongLong(&ok);
        auto at = parseUtcTimestamp(f[3].toStdString());
        PolicyState state{f[0].toStdString(), serial, f[2].toStdString(), at ? *at : TimePoint{}};
        // The same checks as for a new record, against an empty ledger: well-formed fields.
        if (!ok || !at ||
            !PolicyStateStore::checkRaise(std::nullopt, state.authority, serial,
                                          state.policyHashHex, m_path.toStdString()))
            return damaged(m_path, where + " is not a valid record");
        if (!records.emplace(state.authority, state).second)
            return damaged(m_path, where + " repeats authority " + state.authority);
    }
    return records;
}

Result<HighestSerials> PolicyLedgerFile::highestSerials() const
{
    auto records = read();
    if (!records)
        return records.error();
    HighestSerials result;
    for (const auto& [authority, state] : *records)
        result[authority] = state.serial;
    return result;
}

bool PolicyLedgerFile::writable() const
{
    const QFileInfo file(m_path);
    if (file.exists())
        return file.isWritable();
    const QFileInfo dir(file.absolutePath());
    return dir.isDir() && dir.isWritable();
}

Result<void> PolicyLedgerFile::recordAccepted(const std::string& authority, uint64_t serial,
                                              const std::string& policyHashHex, TimePoint at) const
{
    // A read-only ledger is the administrator's: never replaced, even where the directory
    // would allow a rename over it.
    if (QFileInfo::exists(m_path) && !QFileInfo(m_path).isWritable())
        return makeError("file.unwritable", "the policy ledger " + m_path.toStdString() +
                                                " is read-only here; only its administrator "
                                                "can record a newly accepted policy in it");
    // Two programs accepting a policy at once must not lose one another's raise.
    const bool dirWritable = QFileInfo(QFileInfo(m_path).absolutePath()).isWritable();
    QLockFile lock(m_path + QStringLiteral(".lock"));
    if (dirWritable && !lock.tryLock(5000))
        return makeError("file.locked", "the policy ledger " + m_path.toStdString() +
                                            " is locked by another program; try again");
    auto records = read();
    if (!records)
        return records.error();
    const auto it = records->find(authority);
    const std::optional<PolicyState> old =
        it == records->end() ? std::nullopt : std::optional<PolicyState>(it->second);
    if (auto ok = PolicyStateStore::checkRaise(old, authority, serial, policyHashHex,
                                               m_path.toStdString());
        !ok)
        return ok.error();
    if (old && old->serial == serial)
        return {};
    (*records)[authority] = PolicyState{authority, serial, policyHashHex, at};

    QByteArray text = QByteArray(kHeader) + '\n';
    for (const auto& [key, state] : *records)
        text += QByteArray::fromStdString(key + ' ' + std::to_string(state.serial) + ' ' +
                                          state.policyHashHex + ' ' +
                                          formatUtcTimestamp(state.acceptedAt) + '\n');
    QSaveFile out(m_path);
    // A file an administrator made writable in a directory users cannot write is updated in
    // place; otherwise the new content replaces the old in one rename.
    out.setDirectWriteFallback(!dirWritable);
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size() || !out.commit())
        return makeError("file.unwritable", "cannot update the policy ledger " +
                                                m_path.toStdString() + ": " +
                                                out.errorString().toStdString());
    return {};
}

} // namespace conclave::storage
