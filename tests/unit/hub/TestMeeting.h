// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TestPerson.h"
#include "common/Clock.h"
#include "meeting/MeetingDescriptor.h"
#include "meeting/MessageBodies.h"

#include <QByteArray>
#include <QString>

namespace conclave::hubtest {

/// A meeting as a chair client would set it up: a chair, a signed descriptor, invites, and
/// the chair's and knockers' messages, ready to feed to a hub (in-process or over a socket).
class TestMeeting {
public:
    /// `hubPin` goes into the descriptor and invites (the hub checks it when it knows its own).
    explicit TestMeeting(QString hubPin = QStringLiteral("test-pin"),
                         meeting::MeetingOptions options = {},
                         QString marking = QStringLiteral("OFFICIAL"));

    TestPerson chair;
    QByteArray id; ///< 16 random bytes
    meeting::MeetingDescriptor descriptor;

    /// Test time: 2027-01-15; invites by default expire an hour later.
    static TimePoint now();

    QByteArray signedDescriptor() const;
    QByteArray create();
    /// A chair-signed invite; `boundTo` binds it to that identity key. `signer` and
    /// `forMeeting` forge the wrong chair / meeting for refusal tests.
    QByteArray invite(const TestPerson* boundTo = nullptr,
                      TimePoint expires = now() + std::chrono::hours(1),
                      const crypto::Ed25519SigningKey* signer = nullptr,
                      const QByteArray& forMeeting = {}) const;
    static QByteArray knock(TestPerson& who, const QByteArray& meetingId,
                            const QByteArray& signedInvite,
                            const QString& name = QStringLiteral("A. Knocker"));
    /// `who`'s signed announcement of a fresh ephemeral key for the meeting.
    static QByteArray announcementOf(const TestPerson& who, const QByteArray& meetingId);
    /// A knock with exactly this announcement and proof of the invite link (the right proof
    /// for an announcement is `proofFor`).
    static QByteArray knockWith(TestPerson& who, const QByteArray& meetingId,
                                const QByteArray& signedInvite, const QByteArray& announcement,
                                const QByteArray& proof,
                                const QString& name = QStringLiteral("A. Knocker"));
    /// What the invitee's link lets it prove for `announcement`; empty for an invite this
    /// fixture did not make.
    static QByteArray proofFor(const QByteArray& signedInvite, const QByteArray& announcement);
    QByteArray knock(TestPerson& who, const QByteArray& signedInvite)
    {
        return knock(who, id, signedInvite);
    }

    QByteArray admit(const TestPerson& who);
    QByteArray deny(const TestPerson& who, const QString& reason = QStringLiteral("not expected"));
    QByteArray remove(const TestPerson& who, const QString& reason = QStringLiteral("disruptive"));
    QByteArray control(meeting::ControlAction action);
    /// `control to-lobby` aimed at `who`.
    QByteArray toLobby(const TestPerson& who);
    QByteArray heartbeat(uint64_t epoch = 1);
    QByteArray commit(const QByteArray& blob = QByteArray(64, 'c'));

    /// The chair's signed delegation naming `who` co-chair (or withdrawing it), and the
    /// `delegate` envelope carrying it.
    QByteArray delegation(const TestPerson& who, bool granted = true) const;
    QByteArray delegate(const TestPerson& who, bool granted = true);
    /// A co-chair's messages: a request to the chair, and a takeover with `delegationBlob`.
    QByteArray request(TestPerson& coChair, meeting::ChairCommand command,
                       const TestPerson* target = nullptr);
    QByteArray takeover(TestPerson& coChair, const QByteArray& delegationBlob);

    /// Member messages, signed by `who`.
    QByteArray ack(TestPerson& who, uint64_t epoch = 1);
    /// `who` coming back on a new connection, holding `epoch`.
    QByteArray resume(TestPerson& who, uint64_t epoch = 1);
    QByteArray chat(TestPerson& who);
    QByteArray signal(TestPerson& from, const TestPerson& to);
    QByteArray leave(TestPerson& who);

private:
    QByteArray target(const TestPerson& who, const QString& reason) const;
};

} // namespace conclave::hubtest
