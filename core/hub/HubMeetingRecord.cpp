// SPDX-License-Identifier: GPL-3.0-or-later
// HubMeeting, restored: a meeting as the hub saved it before a restart (HubStateStore). The
// record came from the hub's own file, but it is checked as if it came from anywhere: a file
// that is not what the hub wrote must stop the hub, never quietly loosen a rule.
#include "hub/HubMeeting.h"

#include "crypto/Fingerprint.h"
#include "meeting/Delegation.h"

namespace conclave::hub {
namespace {

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

Result<crypto::Ed25519PublicKey> identityKey(const QByteArray& bytes)
{
    return crypto::Ed25519PublicKey::fromBytes(crypto::ByteView(
        reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())));
}

Error corrupt(const QByteArray& meetingId, const std::string& what)
{
    return makeError("hub.state_corrupt",
                     "the saved meeting " + meetingId.toHex().toStdString() + " " + what);
}

} // namespace

Result<HubMeeting> HubMeeting::fromRecord(meeting::MeetingDescriptor descriptor,
                                          const MeetingRecord& record, TimePoint now)
{
    const QByteArray& id = record.meetingId;
    const auto allKeys = [&](const std::vector<QByteArray>& list) {
        for (const QByteArray& identity : list)
            if (!identityKey(identity))
                return false;
        return true;
    };
    if (!allKeys(record.members) || !allKeys(record.bans) || !allKeys(record.returning) ||
        !identityKey(record.chairKey))
        return corrupt(id, "names an identity key that is not 32 bytes long");

    HubMeeting m(std::move(descriptor), record.signedDescriptor, now);
    if (!record.succession.isEmpty()) {
        // A takeover the hub accepted: the descriptor's chair delegated to the chair now.
        auto delegation = meeting::Delegation::verify(record.succession, id, m.m_descriptor.chair);
        if (!delegation || !delegation->granted ||
            keyBytes(delegation->delegate) != record.chairKey)
            return corrupt(id, "has a chair succession that its chair did not sign");
        m.changeChair(record.chairKey, record.succession);
    } else if (record.chairKey != m.m_chairKey) {
        return corrupt(id, "names a chair other than its descriptor's, without a succession");
    }
    for (const QByteArray& identity : record.members) {
        m.addMember(identity, kAway);
        m.setAway(identity, now); // gone with the restart; the grace runs from now
    }
    for (const auto& [identity, grant] : record.coChairs) {
        auto delegation = meeting::Delegation::verify(grant, id, m.m_descriptor.chair);
        if (!delegation || !delegation->granted || keyBytes(delegation->delegate) != identity)
            return corrupt(id, "has a co-chair grant that its chair did not sign");
        if (m.isMember(identity)) // a grant ends when its holder leaves: the record agrees
            m.m_coChairs[identity] = grant;
    }
    for (const QByteArray& identity : record.bans)
        m.m_banned[identity] = true; // oldest first, so the cap forgets the same ones
    for (const auto& [identity, count] : record.denials) {
        if (!identityKey(identity) || count < 1)
            return corrupt(id, "has a denial record that the hub cannot have written");
        m.m_denials[identity] = count;
    }
    for (const QByteArray& identity : record.returning)
        m.m_returning.insert(identity);
    for (const MeetingRecord::SpentInvite& invite : record.spentInvites) {
        if (!identityKey(invite.identity) || invite.inviteId.isEmpty())
            return corrupt(id, "has a spent invite that the hub cannot have written");
        if (now < invite.expires) // one past its expiry is refused as expired anyway
            m.m_spentInvites[invite.inviteId] = SpentInvite{invite.identity, invite.expires};
    }
    m.m_room = record.room;
    for (const MeetingRecord::SequenceMark& mark : record.sequence) {
        if (!identityKey(mark.sender))
            return corrupt(id, "has a sequence number for a key that is not 32 bytes long");
        m.m_floors[mark.sender] = mark.seq;
    }
    return m;
}

} // namespace conclave::hub
