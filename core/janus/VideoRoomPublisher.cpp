// SPDX-License-Identifier: GPL-3.0-or-later
#include "janus/VideoRoomPublisher.h"

#include "janus/VideoRoomRefusal.h"

#include <QJsonArray>
#include <QPointer>

namespace conclave::janus {

namespace {

qint64 jsonId(std::uint64_t id)
{
    return static_cast<qint64>(id);
}

std::uint64_t idOf(const QJsonValue& v)
{
    return static_cast<std::uint64_t>(v.toInteger());
}

} // namespace

VideoRoomPublisher::VideoRoomPublisher(JanusConnection& connection, QObject* parent)
    : QObject(parent), m_connection(connection)
{
    connect(&m_connection, &JanusConnection::event, this, &VideoRoomPublisher::onEvent);
}

VideoRoomPublisher::~VideoRoomPublisher()
{
    leave();
}

void VideoRoomPublisher::join(const VideoRoomJoin& join, Done<QList<std::uint64_t>> done)
{
    m_join = join;
    QPointer<VideoRoomPublisher> self(this);
    m_connection.attach(
        QStringLiteral("janus.plugin.videoroom"),
        [self, done = std::move(done)](Result<qint64> attached) mutable {
            if (!self)
                return;
            if (!attached)
                return done(attached.error());
            self->m_handle = *attached;
            // The display is the feed id: Janus shows it to anyone listing the room, so it
            // must say nothing about the person.
            const QJsonObject body{{"request", "join"},
                                   {"ptype", "publisher"},
                                   {"room", jsonId(self->m_join.room)},
                                   {"id", jsonId(self->m_join.feed)},
                                   {"display", QString::number(self->m_join.feed)},
                                   {"token", self->m_join.token}};
            self->m_connection.pluginRequest(
                self->m_handle, body, std::nullopt,
                [self, done = std::move(done)](Result<PluginReply> reply) {
                    if (!self)
                        return;
                    if (!reply)
                        return done(reply.error());
                    if (reply->data.value("videoroom").toString() != "joined" ||
                        idOf(reply->data.value("id")) != self->m_join.feed)
                        return done(Error{"janus.protocol",
                                          "The media server (Janus) answered this member's join "
                                          "with something other than the feed it asked for.",
                                          ErrorCategory::ConnectionOrIdentity});
                    self->m_privateId = idOf(reply->data.value("private_id"));
                    QList<std::uint64_t> present;
                    for (const auto& p : reply->data.value("publishers").toArray())
                        present.append(idOf(p.toObject().value("id")));
                    done(present);
                },
                &videoroom_refusal::join);
        });
}

void VideoRoomPublisher::publish(const QString& offerSdp, const QList<StreamLabel>& labels,
                                 Done<QString> done)
{
    QJsonArray descriptions;
    for (const StreamLabel& label : labels)
        descriptions.append(QJsonObject{{"mid", label.mid}, {"description", label.description}});
    const QJsonObject body{{"request", "publish"},
                           {"audiocodec", "opus"},
                           {"videocodec", "vp8"},
                           {"descriptions", descriptions}};
    QPointer<VideoRoomPublisher> self(this);
    m_connection.pluginRequest(
        m_handle, body, Jsep{QStringLiteral("offer"), offerSdp, true},
        [self, done = std::move(done)](Result<PluginReply> reply) {
            if (!self)
                return;
            if (!reply)
                return done(reply.error());
            if (!reply->jsep || reply->jsep->type != "answer")
                return done(Error{"janus.protocol",
                                  "The media server (Janus) accepted this member's media offer "
                                  "without an answer; nothing can be sent.",
                                  ErrorCategory::ConnectionOrIdentity});
            done(reply->jsep->sdp);
        },
        &videoroom_refusal::other);
}

void VideoRoomPublisher::trickle(int mlineIndex, const QString& candidate)
{
    if (m_handle != 0)
        m_connection.trickle(m_handle, mlineIndex, candidate);
}

void VideoRoomPublisher::trickleCompleted()
{
    if (m_handle != 0)
        m_connection.trickleCompleted(m_handle);
}

void VideoRoomPublisher::leave()
{
    if (m_handle == 0 || !m_connection.isReady())
        return;
    const qint64 handle = std::exchange(m_handle, 0);
    // Detaching ends the participant in Janus (the others get `leaving`); no need to wait.
    m_connection.detach(handle, [](Result<void>) {});
}

void VideoRoomPublisher::notePublishers(const QJsonObject& data)
{
    QList<quint64> added;
    for (const auto& p : data.value("publishers").toArray())
        if (const auto id = idOf(p.toObject().value("id")); id != m_join.feed)
            added.append(id);
    if (!added.isEmpty())
        emit publishersAdded(added);
}

void VideoRoomPublisher::onEvent(const JanusEvent& event)
{
    if (event.handle != m_handle || m_handle == 0)
        return;
    switch (event.kind) {
    case JanusEvent::Kind::Plugin:
        break;
    case JanusEvent::Kind::Trickle:
        if (!event.data.value("completed").toBool())
            emit remoteCandidate(event.data.value("sdpMLineIndex").toInt(),
                                 event.data.value("candidate").toString());
        return;
    default:
        emit peerConnectionEvent(event);
        return;
    }
    const QJsonObject& data = event.data;
    if (data.contains("publishers"))
        notePublishers(data);
    // Our own kick says `leaving: "ok", reason: "kicked"`; others' departures carry their id.
    if (data.value("leaving").toString() == "ok" && data.value("reason").toString() == "kicked")
        return emit kicked();
    if (data.value("unpublished").isDouble())
        emit feedGone(idOf(data.value("unpublished")), FeedGone::Unpublished);
    if (data.value("leaving").isDouble())
        emit feedGone(idOf(data.value("leaving")), FeedGone::Left);
    if (data.value("kicked").isDouble())
        emit feedGone(idOf(data.value("kicked")), FeedGone::Kicked);
}

} // namespace conclave::janus
