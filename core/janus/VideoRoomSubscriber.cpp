// SPDX-License-Identifier: GPL-3.0-or-later
#include "janus/VideoRoomSubscriber.h"

#include "janus/VideoRoomRefusal.h"

#include <QJsonArray>
#include <QPointer>

namespace conclave::janus {

namespace {

qint64 jsonId(std::uint64_t id)
{
    return static_cast<qint64>(id);
}

QJsonArray feedList(const QList<std::uint64_t>& feeds)
{
    QJsonArray streams;
    for (std::uint64_t feed : feeds)
        streams.append(QJsonObject{{"feed", jsonId(feed)}});
    return streams;
}

SubscribedStream::Type typeOf(const QString& text)
{
    if (text == "audio")
        return SubscribedStream::Type::Audio;
    if (text == "video")
        return SubscribedStream::Type::Video;
    return SubscribedStream::Type::Data;
}

} // namespace

VideoRoomSubscriber::VideoRoomSubscriber(JanusConnection& connection, QObject* parent)
    : QObject(parent), m_connection(connection)
{
    connect(&m_connection, &JanusConnection::event, this, &VideoRoomSubscriber::onEvent);
}

VideoRoomSubscriber::~VideoRoomSubscriber()
{
    leave();
}

const SubscribedStream* VideoRoomSubscriber::stream(const QString& mid) const
{
    for (const SubscribedStream& s : m_streams)
        if (s.mid == mid)
            return &s;
    return nullptr;
}

void VideoRoomSubscriber::join(const VideoRoomJoin& join, std::uint64_t privateId,
                               const QList<std::uint64_t>& feeds, Done<void> done)
{
    if (feeds.isEmpty()) {
        done(Error{"janus.nothing_to_receive",
                   "A media subscription needs at least one other member publishing; it is made "
                   "when the first one does.",
                   ErrorCategory::InvalidInput});
        return;
    }
    QPointer<VideoRoomSubscriber> self(this);
    // Janus 1.1 checks a subscriber's private id, not its token (the token is checked when the
    // member's publisher joins, which is how it got the private id); the token goes along for
    // Janus versions that check both.
    const QJsonObject body{{"request", "join"},         {"ptype", "subscriber"},
                           {"room", jsonId(join.room)}, {"private_id", jsonId(privateId)},
                           {"token", join.token},       {"use_msid", false},
                           {"autoupdate", true},        {"streams", feedList(feeds)}};
    m_connection.attach(
        QStringLiteral("janus.plugin.videoroom"),
        [self, body, done = std::move(done)](Result<qint64> attached) mutable {
            if (!self)
                return;
            if (!attached)
                return done(attached.error());
            self->m_handle = *attached;
            self->m_connection.pluginRequest(
                self->m_handle, body, std::nullopt,
                [self, done = std::move(done)](Result<PluginReply> reply) {
                    if (!self)
                        return;
                    if (!reply)
                        return done(reply.error());
                    if (reply->data.value("videoroom").toString() != "attached" || !reply->jsep)
                        return done(Error{"janus.protocol",
                                          "The media server (Janus) answered this member's "
                                          "subscription without an offer.",
                                          ErrorCategory::ConnectionOrIdentity});
                    done(Result<void>{});
                    self->takeLayout(reply->data, reply->jsep);
                },
                &videoroom_refusal::subscribe);
        });
}

void VideoRoomSubscriber::answer(const QString& answerSdp, Done<void> done)
{
    m_connection.pluginRequest(
        m_handle, QJsonObject{{"request", "start"}}, Jsep{QStringLiteral("answer"), answerSdp},
        [done = std::move(done)](Result<PluginReply> reply) {
            done(reply ? Result<void>{} : Result<void>{reply.error()});
        },
        &videoroom_refusal::other);
}

void VideoRoomSubscriber::subscribe(const QList<std::uint64_t>& feeds, Done<void> done)
{
    update(QStringLiteral("subscribe"), feeds, std::move(done));
}

void VideoRoomSubscriber::unsubscribe(const QList<std::uint64_t>& feeds, Done<void> done)
{
    update(QStringLiteral("unsubscribe"), feeds, std::move(done));
}

void VideoRoomSubscriber::update(const QString& request, const QList<std::uint64_t>& feeds,
                                 Done<void> done)
{
    QPointer<VideoRoomSubscriber> self(this);
    m_connection.pluginRequest(
        m_handle, QJsonObject{{"request", request}, {"streams", feedList(feeds)}}, std::nullopt,
        [self, done = std::move(done)](Result<PluginReply> reply) {
            if (!self)
                return;
            if (!reply)
                return done(reply.error());
            done(Result<void>{});
            // `updated` with the new layout and offer, or `updating`: Janus is still busy with
            // an earlier renegotiation and sends `updated` (unasked) when it can.
            if (reply->data.value("videoroom").toString() == "updated")
                self->takeLayout(reply->data, reply->jsep);
        },
        &videoroom_refusal::subscribe);
}

void VideoRoomSubscriber::requestKeyframes(const QStringList& mids, Done<void> done)
{
    QJsonArray streams;
    for (const QString& mid : mids)
        streams.append(QJsonObject{{"mid", mid}, {"send", true}});
    m_connection.pluginRequest(
        m_handle, QJsonObject{{"request", "configure"}, {"streams", streams}}, std::nullopt,
        [done = std::move(done)](Result<PluginReply> reply) {
            done(reply ? Result<void>{} : Result<void>{reply.error()});
        },
        &videoroom_refusal::other);
}

void VideoRoomSubscriber::trickle(int mlineIndex, const QString& candidate)
{
    if (m_handle != 0)
        m_connection.trickle(m_handle, mlineIndex, candidate);
}

void VideoRoomSubscriber::trickleCompleted()
{
    if (m_handle != 0)
        m_connection.trickleCompleted(m_handle);
}

void VideoRoomSubscriber::leave()
{
    if (m_handle == 0 || !m_connection.isReady())
        return;
    const qint64 handle = std::exchange(m_handle, 0);
    m_connection.detach(handle, [](Result<void>) {});
}

void VideoRoomSubscriber::takeLayout(const QJsonObject& data, const std::optional<Jsep>& jsep)
{
    // An `updated` without streams changed nothing in the SDP (and brings no offer).
    if (data.contains("streams")) {
        QList<SubscribedStream> layout;
        for (const auto& v : data.value("streams").toArray()) {
            const QJsonObject o = v.toObject();
            SubscribedStream s;
            s.mid = o.value("mid").toString();
            s.mindex = o.value("mindex").toInt(-1);
            s.type = typeOf(o.value("type").toString());
            s.active = o.value("active").toBool();
            s.feed = s.active ? static_cast<std::uint64_t>(o.value("feed_id").toInteger()) : 0;
            s.feedMid = o.value("feed_mid").toString();
            s.description = o.value("feed_description").toString();
            layout.append(s);
        }
        if (layout != m_streams) {
            const QList<SubscribedStream> before = std::exchange(m_streams, layout);
            emit streamsChanged(before);
        }
    }
    if (jsep && jsep->type == "offer")
        emit offer(jsep->sdp);
}

void VideoRoomSubscriber::onEvent(const JanusEvent& event)
{
    if (event.handle != m_handle || m_handle == 0)
        return;
    switch (event.kind) {
    case JanusEvent::Kind::Plugin: {
        const QString what = event.data.value("videoroom").toString();
        if (what == "updated" || what == "attached")
            takeLayout(event.data, event.jsep);
        else if (event.data.value("left").toString() == "ok")
            emit ended(QStringLiteral("left"));
        return;
    }
    case JanusEvent::Kind::Trickle:
        if (!event.data.value("completed").toBool())
            emit remoteCandidate(event.data.value("sdpMLineIndex").toInt(),
                                 event.data.value("candidate").toString());
        return;
    case JanusEvent::Kind::Detached:
        m_handle = 0;
        emit ended(QStringLiteral("detached"));
        return;
    default:
        emit peerConnectionEvent(event);
        return;
    }
}

} // namespace conclave::janus
