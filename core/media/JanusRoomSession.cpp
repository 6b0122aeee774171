// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/JanusRoomSession.h"

#include <QPointer>

namespace conclave::media {
namespace {

QList<uint64_t> listOf(const std::set<uint64_t>& feeds)
{
    return QList<uint64_t>(feeds.begin(), feeds.end());
}

/// Janus's errors say what went wrong; this says what the member's media does about it.
Error worded(const Error& e)
{
    return Error{e.code,
                 "The meeting's media server (Janus) cannot carry this member's audio and "
                 "video: " +
                     e.message +
                     " Media resumes when the hub moves the meeting to another media server "
                     "or admits this member again.",
                 e.category};
}

} // namespace

JanusRoomSession::JanusRoomSession(const TransportContext& context, const SfuRoom& room,
                                   uint64_t ownFeed, JanusSubscribeLink::PadHandler onPad,
                                   JanusSubscribeLink::PadGone onGone)
    : m_context(context), m_room(room), m_ownFeed(ownFeed), m_onPad(std::move(onPad)),
      m_onGone(std::move(onGone))
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryDelay);
    connect(&m_retry, &QTimer::timeout, this, &JanusRoomSession::reconcile);
}

JanusRoomSession::~JanusRoomSession()
{
    // The subscription first (its pads are members' branches' sources), then the publisher.
    m_subscribeLink.reset();
    m_subscriber.reset(); // leaves
    m_publishLink.reset();
    m_publisher.reset(); // leaves: the others hear `leaving`
    if (m_connection)
        m_connection->close();
}

void JanusRoomSession::open()
{
    janus::JanusConnection::Options options;
    // A member holds no credential of the server: its token for the room is all it needs.
    options.apiSecret.clear();
    options.expectedPins = m_room.pins;
    options.requester = QStringLiteral("this member");
    options.refusalAdvice = QStringLiteral(
        "Ask the meeting's host to check that the hub and its media server (Janus) work together, "
        "or wait for the hub to move the meeting.");
    m_connection = std::make_unique<janus::JanusConnection>(m_room.url, options);
    connect(m_connection.get(), &janus::JanusConnection::lost, this,
            [this](const Error& why) { fail(why); });
    QPointer<JanusRoomSession> self(this);
    m_connection->open([self](Result<void> opened) {
        if (!self || self->m_failed)
            return;
        if (!opened)
            return self->fail(opened.error());
        auto& publisher = self->m_publisher;
        publisher = std::make_unique<janus::VideoRoomPublisher>(*self->m_connection);
        connect(publisher.get(), &janus::VideoRoomPublisher::kicked, self.data(), [self] {
            self->fail(Error{"janus.kicked",
                             "the media server removed this member from the meeting's room "
                             "(the hub withdrew its admission)."});
        });
        connect(publisher.get(), &janus::VideoRoomPublisher::publishersAdded, self.data(),
                &JanusRoomSession::publishersAdded);
        connect(publisher.get(), &janus::VideoRoomPublisher::feedGone, self.data(),
                [self](quint64 feed, janus::FeedGone) {
                    // Janus takes the feed out of the subscription itself.
                    self->m_subscribed.erase(feed);
                    emit self->feedGone(feed);
                });
        publisher->join(
            janus::VideoRoomJoin{self->m_room.room, self->m_ownFeed, self->m_room.token},
            [self](Result<QList<uint64_t>> joined) {
                if (!self || self->m_failed)
                    return;
                if (!joined)
                    return self->fail(joined.error());
                self->m_joined = true;
                if (self->m_publishWanted)
                    self->startPublishing();
                QList<quint64> feeds;
                for (uint64_t feed : *joined)
                    feeds << feed;
                emit self->joined(feeds);
            });
    });
}

void JanusRoomSession::fail(Error why)
{
    if (m_failed)
        return;
    m_failed = true;
    emit failed(worded(why));
}

void JanusRoomSession::publish()
{
    m_publishWanted = true;
    if (m_joined)
        startPublishing();
}

void JanusRoomSession::startPublishing()
{
    if (m_publishStarted || m_failed)
        return;
    m_publishStarted = true;
    m_publishLink =
        std::make_unique<JanusPublishLink>(m_context.pipeline, *m_context.local, m_context.options,
                                           *m_publisher, m_context.reportProblem);
    QPointer<JanusRoomSession> self(this);
    m_publishLink->start([self](Result<void> started) {
        if (!self || self->m_failed)
            return;
        if (!started)
            return emit self->problem(worded(started.error()));
        self->m_published = true;
    });
}

void JanusRoomSession::setFeeds(const std::set<uint64_t>& feeds)
{
    m_wanted = feeds;
    m_wanted.erase(m_ownFeed);
    reconcile();
}

void JanusRoomSession::reconcile()
{
    if (!m_joined || m_failed || m_subscriberJoining)
        return;
    if (!m_subscriberJoined) {
        if (!m_wanted.empty())
            joinSubscriber(m_wanted);
        return;
    }
    std::set<uint64_t> add, remove;
    for (uint64_t feed : m_wanted)
        if (!m_subscribed.count(feed))
            add.insert(feed);
    for (uint64_t feed : m_subscribed)
        if (!m_wanted.count(feed))
            remove.insert(feed);
    QPointer<JanusRoomSession> self(this);
    const int subscription = m_subscriptionsMade;
    // A refused change is undone here and tried again shortly with what is wanted then (e.g. a
    // feed that left meanwhile is no longer asked for).
    const auto report = [self, subscription](bool subscribing, const std::set<uint64_t>& feeds) {
        return [self, subscription, subscribing, feeds](Result<void> done) {
            if (!self || self->m_failed || done || self->m_subscriptionsMade != subscription)
                return; // done, or about a subscription remade since
            for (uint64_t feed : feeds)
                if (subscribing)
                    self->m_subscribed.erase(feed);
                else
                    self->m_subscribed.insert(feed);
            emit self->problem(worded(done.error()));
            self->reconcileLater();
        };
    };
    if (!remove.empty()) {
        for (uint64_t feed : remove)
            m_subscribed.erase(feed);
        m_subscriber->unsubscribe(listOf(remove), report(false, remove));
    }
    if (!add.empty()) {
        m_subscribed.insert(add.begin(), add.end());
        m_subscriber->subscribe(listOf(add), report(true, add));
    }
}

void JanusRoomSession::reconcileLater()
{
    if (!m_retry.isActive())
        m_retry.start();
}

void JanusRoomSession::remakeSubscription(const QString& why)
{
    if (m_failed)
        return;
    emit problem(Error{"media.janus_subscription",
                       "this member's subscription to the others' streams failed (" +
                           why.toStdString() +
                           "); a new one is made, and their audio and video resume in a moment"});
    // The members' branches leave the old link's pads before its webrtcbin goes.
    if (m_subscribeLink)
        m_subscribeLink->releasePads();
    m_subscribeLink.reset();
    m_subscriber.reset(); // leaves: Janus drops the old subscription
    m_subscriberJoined = false;
    m_subscriberJoining = false;
    m_subscribed.clear();
    reconcileLater();
}

void JanusRoomSession::joinSubscriber(const std::set<uint64_t>& feeds)
{
    m_subscriberJoining = true;
    m_subscribeLink.reset(); // a failed attempt's, before the subscriber it uses
    m_subscriber = std::make_unique<janus::VideoRoomSubscriber>(*m_connection);
    QPointer<JanusRoomSession> self(this);
    connect(m_subscriber.get(), &janus::VideoRoomSubscriber::ended, this,
            [self](const QString& reason) {
                if (self)
                    self->fail(Error{"janus.subscription_ended",
                                     "the media server ended this member's subscription to the "
                                     "others' streams (" +
                                         reason.toStdString() + ")."});
            });
    m_subscribeLink =
        std::make_unique<JanusSubscribeLink>(m_context.pipeline, m_context.options, *m_subscriber,
                                             m_onPad, m_onGone, m_context.reportProblem);
    connect(m_subscribeLink.get(), &JanusSubscribeLink::negotiationFailed, this,
            [self](const QString& why) {
                // Not from inside the link's own signal: remaking destroys it.
                QTimer::singleShot(0, self.data(), [self, why] {
                    if (self)
                        self->remakeSubscription(why);
                });
            });
    const int subscription = ++m_subscriptionsMade;
    m_subscribed = feeds;
    m_subscriber->join(janus::VideoRoomJoin{m_room.room, m_ownFeed, m_room.token},
                       m_publisher->privateId(), listOf(feeds),
                       [self, subscription](Result<void> joined) {
                           if (!self || self->m_failed || self->m_subscriptionsMade != subscription)
                               return; // gone, or a subscription remade since
                           self->m_subscriberJoining = false;
                           if (!joined) {
                               // e.g. a feed left meanwhile (428): tried again shortly, with
                               // the feeds wanted then.
                               self->m_subscribed.clear();
                               emit self->problem(worded(joined.error()));
                               self->reconcileLater();
                               return;
                           }
                           self->m_subscriberJoined = true;
                           self->reconcile();
                       });
}

} // namespace conclave::media
