// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/MeetingMedia.h"

#include "call/JanusAccess.h"
#include "call/TurnAccess.h"

#include <algorithm>

namespace conclave::call {

using media::StreamKind;

MeetingMedia::MeetingMedia(meeting::MediaView& view, std::unique_ptr<media::MediaMesh> mesh)
    : m_view(view), m_mesh(std::move(mesh))
{
    connect(m_mesh.get(), &media::MediaMesh::signalReady, this,
            [this](uint32_t to, const QByteArray& payload) {
                if (m_view.postSignal(to, payload))
                    emit signalsQueued();
            });
}

media::EpochKeys MeetingMedia::keysFor(const meeting::MediaState& state) const
{
    media::EpochKeys keys;
    keys.epoch = state.epoch;
    keys.ownIndex = state.ownIndex;
    keys.suite = crypto::cipherSuiteFromId(state.suite)
                     .value_or(crypto::CipherSuite::ChaCha20Poly1305Sha256);
    for (const crypto::RosterEntry& member : state.roster.entries()) {
        keys.identities[member.index] =
            QByteArray(reinterpret_cast<const char*>(member.identity.bytes.data()),
                       qsizetype(member.identity.bytes.size()));
        auto& streams = keys.members[member.index]; // everyone is linked, observers too
        if (member.role == crypto::MemberRole::Observer)
            continue; // receive-only: nobody holds a key for anything it might send
        for (StreamKind kind : media::kAllStreams) {
            if (kind == StreamKind::Screen && !state.sharers.count(member.index))
                continue;
            if (auto key = m_view.mediaKey(member.index, media::traitsOf(kind).context))
                streams[kind] = std::move(key).value();
        }
    }
    return keys;
}

Result<void> MeetingMedia::useMediaRoom(const QString& endpoint, uint64_t room,
                                        const QString& token)
{
    auto access = JanusAccess::check(m_view.meetingBackend(), endpoint, room, token);
    if (!access)
        return access.error();
    return m_mesh->useRoom({access->url, access->pins, access->room, access->token});
}

Result<void> MeetingMedia::useTurnCredentials(const turn::TurnCredentials& credentials)
{
    media::MediaTransport* transport = m_mesh ? m_mesh->transport() : nullptr;
    if (!transport || m_stopped)
        return {};
    auto access = turnAccessFor(m_view.meetingBackend(), credentials);
    if (!access)
        return access.error();
    if (access->decides())
        transport->useTurnServers(std::move(access->servers));
    return {};
}

void MeetingMedia::sync()
{
    if (m_stopped)
        return;
    const auto state = m_view.mediaState();
    if (!state) {
        if (m_epoch) { // we were in: removed, sent to the waiting room, ended
            m_mesh->stop();
            m_stopped = true;
        }
        return;
    }
    if (m_epoch != state->epoch || m_sharers != state->sharers) {
        m_mesh->applyEpoch(keysFor(*state));
        m_epoch = state->epoch;
        m_sharers = state->sharers;
    }
    const bool everyoneHoldsIt =
        std::all_of(state->roster.entries().begin(), state->roster.entries().end(),
                    [&](const crypto::RosterEntry& e) { return state->holding.count(e.index); });
    if (everyoneHoldsIt)
        m_mesh->confirmEpoch(state->epoch);
    for (auto [kind, on] :
         {std::pair{StreamKind::Audio, state->audio}, std::pair{StreamKind::Camera, state->video},
          std::pair{StreamKind::Screen, state->screen}})
        if (m_mesh->sending(kind) != on)
            m_mesh->setSending(kind, on);
    for (const meeting::IncomingSignal& signal : m_view.takeSignals())
        if (auto handled = m_mesh->onSignal(signal.from, signal.payload); !handled)
            emit m_mesh->problem(QString::fromStdString(handled.error().code),
                                 QString::fromStdString(handled.error().message));
}

void MeetingMedia::restartLinks()
{
    if (m_mesh && m_mesh->transport())
        m_mesh->transport()->restartLinks();
}

} // namespace conclave::call
