// SPDX-License-Identifier: GPL-3.0-or-later
#include "janus/VideoRoomRefusal.h"

namespace conclave::janus::videoroom_refusal {

namespace {

constexpr int kNoSuchRoom = 426;
constexpr int kNoSuchFeed = 428;
constexpr int kUnauthorized = 433;
constexpr int kIdExists = 436;

Error refused(const QString& text, int number, const QString& reason)
{
    return Error{"janus.refused",
                 QStringLiteral("%1 (Janus VideoRoom error %2, \"%3\")")
                     .arg(text)
                     .arg(number)
                     .arg(reason)
                     .toStdString(),
                 ErrorCategory::ConnectionOrIdentity};
}

Error roomGone(int number, const QString& reason)
{
    return refused(QStringLiteral("The meeting's media room no longer exists on the media "
                                  "server (Janus): the meeting ended or moved to another "
                                  "instance. Rejoin the meeting to get the new room."),
                   number, reason);
}

} // namespace

Error join(int number, const QString& reason)
{
    if (number == kUnauthorized)
        return refused(QStringLiteral("Janus refused this member's media token: the hub has not "
                                      "admitted this member to the meeting's media, or took the "
                                      "token back (removed, sent to the waiting room, banned, or "
                                      "the meeting ended). Ask the chair to admit you again; a "
                                      "token works only while the hub lists it."),
                       number, reason);
    if (number == kIdExists)
        return refused(QStringLiteral("Janus already has a publisher with this member's feed id "
                                      "in the room: this member is connected twice, or someone "
                                      "is using its feed id. Leave the meeting on the other "
                                      "device, or tell the chair."),
                       number, reason);
    if (number == kNoSuchRoom)
        return roomGone(number, reason);
    return other(number, reason);
}

Error subscribe(int number, const QString& reason)
{
    if (number == kUnauthorized)
        return refused(QStringLiteral("Janus refused to let this member receive the meeting's "
                                      "media: it has not joined the room as a publisher with a "
                                      "token the hub admitted (or was removed since). Ask the "
                                      "chair to admit you again."),
                       number, reason);
    if (number == kNoSuchFeed)
        return refused(QStringLiteral("A member whose media this member asked for is not "
                                      "publishing in the room (any more); their media will "
                                      "follow when they publish."),
                       number, reason);
    if (number == kNoSuchRoom)
        return roomGone(number, reason);
    return other(number, reason);
}

Error other(int number, const QString& reason)
{
    return refused(QStringLiteral("The media server (Janus) refused this member's media "
                                  "request. If it persists, leave and rejoin the meeting; the "
                                  "administrator can find the cause in Janus's log"),
                   number, reason);
}

} // namespace conclave::janus::videoroom_refusal
