// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/MediaMesh.h"

#include "media/MediaElements.h"
#include "media/MeshTransport.h"
#include "media/SframeEncrypt.h"
#include "turn/TurnServer.h"

#include <QPointer>
#include <QTimer>

namespace conclave::media {

Result<std::unique_ptr<MediaMesh>> MediaMesh::create(const MediaOptions& options, SinkFactory sinks,
                                                     TransportFactory transport)
{
    if (auto ready = initialiseMedia(); !ready)
        return ready.error();
    // A TURN server no link could use would only show later as silence.
    if (auto relays = turn::checkTurnServers(options.turnServers, options.relayOnly); !relays)
        return relays.error();
    prepareDtlsCertificate(); // while this member waits to be admitted
    GstElement* pipeline = gst_pipeline_new("conclave-meeting");
    std::unique_ptr<MediaMesh> mesh(new MediaMesh(pipeline, options, std::move(sinks)));
    auto local = LocalStreams::create(pipeline, options);
    if (!local)
        return local.error();
    mesh->m_local = std::move(local).value();
    QPointer<MediaMesh> guard(mesh.get());
    TransportContext context;
    context.pipeline = pipeline;
    context.local = mesh->m_local.get();
    context.options = options;
    // Transports call these on GStreamer's threads: hand them to ours.
    context.sendSignal = [guard](uint32_t to, const QByteArray& payload) {
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, to, payload] {
                if (guard)
                    emit guard->signalReady(to, payload);
            },
            Qt::QueuedConnection);
    };
    context.reportProblem = [guard](const Error& problem) {
        const QString code = QString::fromStdString(problem.code);
        const QString reason = QString::fromStdString(problem.message);
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, code, reason] {
                if (guard)
                    emit guard->problem(code, reason);
            },
            Qt::QueuedConnection);
    };
    // Made with the first epoch: only then does a joiner know the meeting's backend, and so
    // which transport its factory chooses.
    mesh->m_transportFactory = transport ? std::move(transport) : MeshTransport::factory();
    mesh->m_context = std::move(context);
    if (mesh->m_sinks && mesh->m_local->has(StreamKind::Camera))
        if (GstElement* self = mesh->m_sinks(kSelfView, StreamKind::Camera))
            if (auto shown = mesh->m_local->attachLocalView(StreamKind::Camera, self); !shown)
                return shown.error();
    if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        return makeError("media.pipeline", "the media pipeline could not start");
    return mesh;
}

MediaMesh::MediaMesh(GstElement* pipeline, MediaOptions options, SinkFactory sinks)
    : m_pipeline(pipeline), m_options(std::move(options)), m_sinks(std::move(sinks))
{
}

MediaMesh::~MediaMesh()
{
    m_transport.reset();
    m_members.clear();
    m_local.reset();
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
    gst_object_unref(m_pipeline);
}

void MediaMesh::applyEpoch(const EpochKeys& keys)
{
    if (m_stopped)
        return;
    if (!m_transport) {
        m_transport = m_transportFactory(m_context);
        if (!m_transport) {
            emit problem(QStringLiteral("media.transport"),
                         QStringLiteral("the media connection could not be set up for this "
                                        "meeting's backend"));
            return stop();
        }
        if (m_room)
            if (auto used = m_transport->useRoom(*m_room); !used)
                emit problem(QString::fromStdString(used.error().code),
                             QString::fromStdString(used.error().message));
    }
    m_ownIndex = keys.ownIndex;
    m_suite = keys.suite;
    m_epochSeen = std::chrono::steady_clock::now();
    const TimePoint retireAt = std::chrono::system_clock::now() + kOldKeyGrace;

    // Members: gone ones leave the transport first (it hands them streams), then are wiped.
    for (auto it = m_members.begin(); it != m_members.end();) {
        if (keys.members.count(it->first)) {
            ++it;
            continue;
        }
        m_memberEpochs.erase(it->first);
        std::erase_if(m_currentKids, [gone = it->first](const auto& entry) {
            return entry.first.first == gone; // a re-admitted member starts afresh
        });
        m_transport->removeMember(it->first);
        it = m_members.erase(it);
    }
    m_transport->setIdentities(keys.ownIndex, keys.identities);
    for (const auto& [index, streams] : keys.members) {
        if (index == keys.ownIndex || m_members.count(index))
            continue;
        auto& member = m_members[index];
        member = std::make_unique<RemoteMember>(m_pipeline, m_options, index, m_sinks);
        m_memberEpochs[index] = keys.epoch;
        m_transport->addMember(index, keys.ownIndex, *member);
    }

    // Peers' keys: the new one now, the old one kept a while for frames in flight.
    for (const auto& [index, streams] : keys.members) {
        const auto found = m_members.find(index);
        if (found == m_members.end())
            continue;
        RemoteMember& member = *found->second;
        for (StreamKind kind : kAllStreams) {
            const auto key = streams.find(kind);
            const auto current = m_currentKids.find({index, kind});
            if (key == streams.end()) { // e.g. share permission revoked: stop at once
                member.dropKeys(kind);
                if (current != m_currentKids.end())
                    m_currentKids.erase(current);
                continue;
            }
            if (current != m_currentKids.end() && current->second != key->second.kid)
                member.retireKey(kind, current->second, retireAt);
            member.setKey(kind, key->second.kid, keys.suite, key->second.baseKey.view());
            m_currentKids[{index, kind}] = key->second.kid;
        }
    }

    // Retired keys are wiped on time even when no frame comes to prune them. Precise: a
    // coarse timer may fire 5% early.
    QTimer::singleShot(kOldKeyGrace + std::chrono::milliseconds(100), Qt::PreciseTimer, this,
                       [this] {
                           const TimePoint now = std::chrono::system_clock::now();
                           for (auto& [index, member] : m_members)
                               member->pruneKeys(now);
                       });

    // Own keys: after a grace period, unless nothing was sent yet.
    const auto own = keys.members.find(keys.ownIndex);
    std::map<StreamKind, std::pair<uint64_t, crypto::SecureBuffer>> mine;
    if (own != keys.members.end())
        for (const auto& [kind, key] : own->second)
            mine[kind] = {key.kid, crypto::SecureBuffer::copyOf(key.baseKey.view())};
    for (StreamKind kind : kAllStreams)
        if (!mine.count(kind) && m_local->encryptor(kind))
            sframe_encrypt::clearKeys(m_local->encryptor(kind)); // no key: nothing leaves
    const bool first = m_pendingOwn.empty() && !m_lastSendSwitch;
    m_pendingOwn[keys.epoch] = std::move(mine);
    if (first) {
        switchOwnKeys(keys.epoch);
        return;
    }
    const uint64_t epoch = keys.epoch;
    // Precise: a coarse timer may fire 5% early, before slower members hold the new key.
    QTimer::singleShot(kSendSwitchDelay, Qt::PreciseTimer, this,
                       [this, epoch] { switchOwnKeys(epoch); });
}

void MediaMesh::switchOwnKeys(uint64_t epoch)
{
    const auto it = m_pendingOwn.find(epoch);
    if (m_stopped || it == m_pendingOwn.end())
        return;
    for (const auto& [kind, key] : it->second)
        if (GstElement* encryptor = m_local->encryptor(kind))
            if (auto set = sframe_encrypt::setKey(encryptor, key.first, m_suite, key.second.view());
                !set) // the stream stays silent rather than send under a wrong key
                emit problem(QString::fromStdString(set.error().code),
                             QString::fromStdString(set.error().message));
    m_lastSendSwitch = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - m_epochSeen);
    m_sendingEpoch = epoch;
    for (const auto& [index, joined] : m_memberEpochs)
        if (joined <= epoch)
            m_transport->startSending(index);
    emit ownKeysSwitched(epoch, m_lastSendSwitch->count());
    // Older epochs still waiting are superseded by this one.
    m_pendingOwn.erase(m_pendingOwn.begin(), std::next(it));
}

void MediaMesh::confirmEpoch(uint64_t epoch)
{
    if (m_pendingOwn.count(epoch))
        switchOwnKeys(epoch);
}

Result<void> MediaMesh::onSignal(uint32_t from, const QByteArray& payload)
{
    if (!m_transport)
        return makeError("media.unknown_peer",
                         "a media set-up message came before this member was in the meeting");
    return m_transport->onSignal(from, payload);
}

Result<void> MediaMesh::useRoom(const SfuRoom& room)
{
    if (m_stopped)
        return {};
    m_room = room;
    return m_transport ? m_transport->useRoom(room) : Result<void>{};
}

void MediaMesh::setSending(StreamKind kind, bool sending)
{
    m_local->setSending(kind, sending && !m_stopped);
}

void MediaMesh::stop()
{
    m_stopped = true;
    m_room.reset();
    if (m_transport)
        m_transport->stop();
    m_members.clear(); // their keys are wiped
    m_memberEpochs.clear();
    m_pendingOwn.clear(); // SecureBuffer wipes
    m_currentKids.clear();
    for (StreamKind kind : kAllStreams) {
        m_local->setSending(kind, false);
        if (GstElement* encryptor = m_local->encryptor(kind))
            sframe_encrypt::clearKeys(encryptor);
    }
}

std::map<uint32_t, std::map<StreamKind, std::chrono::milliseconds>> MediaMesh::firstFrames() const
{
    std::map<uint32_t, std::map<StreamKind, std::chrono::milliseconds>> out;
    for (const auto& [index, member] : m_members)
        out[index] = member->firstFrames();
    return out;
}

std::vector<StreamStats> MediaMesh::stats()
{
    std::vector<StreamStats> out;
    for (const auto& [index, member] : m_members) {
        auto more = member->stats();
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

} // namespace conclave::media
