// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/TurnGrants.h"

#include "hub/HubLog.h"
#include "turn/TurnCredentials.h"

#include <QFile>

namespace conclave::hub {
namespace {

Error secretError(const QString& path, const QString& what)
{
    return Error{"hub.turn_secret",
                 QStringLiteral("The TURN secret file %1 %2").arg(path, what).toStdString(),
                 ErrorCategory::InvalidInput};
}

} // namespace

TurnGrants::TurnGrants(crypto::SecureBuffer secret, const Clock& clock)
    : m_secret(std::move(secret)), m_clock(clock)
{
}

Result<crypto::SecureBuffer> TurnGrants::readSecret(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return secretError(path, QStringLiteral("does not exist"));
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        return secretError(path, QStringLiteral("can be read by other users; make it readable "
                                                "by the hub's user only (chmod 600)"));
    if (file.size() > kMaxSecretBytes || !file.open(QIODevice::ReadOnly))
        return secretError(path, QStringLiteral("cannot be read by the hub (or is larger than "
                                                "%1 bytes)")
                                     .arg(kMaxSecretBytes));
    // Read into locked memory and wiped there; QFile's own buffer is the one copy we cannot
    // reach.
    crypto::SecureBuffer raw(size_t(file.size()));
    const qint64 got = file.read(reinterpret_cast<char*>(raw.data()), qint64(raw.size()));
    size_t end = 0;
    while (got > 0 && end < size_t(got) && raw.data()[end] != '\n')
        ++end;
    size_t begin = 0;
    while (begin < end && (raw.data()[begin] == ' ' || raw.data()[begin] == '\t'))
        ++begin;
    while (end > begin && (raw.data()[end - 1] == ' ' || raw.data()[end - 1] == '\t' ||
                           raw.data()[end - 1] == '\r'))
        --end;
    if (end == begin)
        return secretError(path, QStringLiteral("is empty; put coturn's static-auth-secret on "
                                                "its first line"));
    return crypto::SecureBuffer::copyOf({raw.data() + begin, end - begin});
}

std::optional<HubNotice> TurnGrants::issue(Holder& holder)
{
    // A random id, not the member's identity: the TURN server's logs learn nothing of who.
    const crypto::SecureBuffer id = crypto::SecureBuffer::random(12);
    const QString idText = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(id.data()), qsizetype(id.size())).toHex());
    const TimePoint expires =
        std::chrono::time_point_cast<std::chrono::seconds>(m_clock.now() + kLifetime);
    auto credentials = turn::TurnCredentials::issue(m_secret.view(), idText, expires);
    if (!credentials) {
        qCWarning(lcHub) << "TURN credentials not issued:" << credentials.error().message.c_str();
        return std::nullopt;
    }
    holder.expires = expires;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
    return HubNotice::turnCredentials(credentials->username, credentials->credential,
                                      uint64_t(seconds));
}

std::vector<std::pair<ConnectionId, HubNotice>> TurnGrants::apply(const MediaRoomChange& change)
{
    std::vector<std::pair<ConnectionId, HubNotice>> out;
    switch (change.kind) {
    case MediaRoomChange::Kind::Join: {
        Holder& holder = m_holders[{change.meetingId, change.identity}];
        holder.connection = change.connection;
        if (auto notice = issue(holder))
            out.emplace_back(change.connection, *notice);
        else
            m_holders.erase({change.meetingId, change.identity});
        break;
    }
    case MediaRoomChange::Kind::Leave:
        m_holders.erase({change.meetingId, change.identity});
        break;
    case MediaRoomChange::Kind::Close:
        for (auto it = m_holders.begin(); it != m_holders.end();)
            it = it->first.first == change.meetingId ? m_holders.erase(it) : std::next(it);
        break;
    case MediaRoomChange::Kind::Open:
        break;
    }
    return out;
}

std::vector<std::pair<ConnectionId, HubNotice>> TurnGrants::renew()
{
    std::vector<std::pair<ConnectionId, HubNotice>> out;
    const TimePoint due = m_clock.now() + kRenewBefore;
    for (auto& [key, holder] : m_holders)
        if (holder.expires <= due)
            if (auto notice = issue(holder))
                out.emplace_back(holder.connection, *notice);
    return out;
}

} // namespace conclave::hub
