// SPDX-License-Identifier: GPL-3.0-or-later
#include "MeshKit.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace conclave::testsupport {

using media::StreamKind;

MeshKit::MeshKit(media::MediaOptions options) : m_options(std::move(options)) {}

media::MediaMesh& MeshKit::add(uint32_t index)
{
    return add(index, m_options);
}

media::MediaMesh& MeshKit::add(uint32_t index, const media::MediaOptions& options)
{
    auto mesh = media::MediaMesh::create(options);
    if (!mesh)
        qFatal("media mesh did not start: %s", mesh.error().message.c_str());
    media::MediaMesh& m = **mesh;
    QObject::connect(&m, &media::MediaMesh::signalReady, &m,
                     [this, index](uint32_t to, const QByteArray& payload) {
                         const auto peer = m_meshes.find(to);
                         if (peer != m_meshes.end())
                             (void)peer->second->onSignal(index, payload);
                     });
    m_meshes[index] = std::move(mesh).value();
    return m;
}

media::EpochKeys MeshKit::keysFor(uint32_t own, const std::set<uint32_t>& members,
                                  const std::set<uint32_t>& screenAllowed, bool selfGranted,
                                  const crypto::SecureBuffer& secret) const
{
    media::EpochKeys keys;
    keys.epoch = m_epoch;
    keys.ownIndex = own;
    for (uint32_t index : members)
        for (StreamKind kind : media::kAllStreams) {
            if (kind == StreamKind::Screen && !screenAllowed.count(index) &&
                !(selfGranted && index == own))
                continue;
            keys.members[index][kind] =
                crypto::deriveMediaKey(secret, m_epoch, index, media::traitsOf(kind).context)
                    .value();
        }
    return keys;
}

void MeshKit::epoch(const std::set<uint32_t>& members, const std::set<uint32_t>& screenAllowed,
                    std::optional<uint32_t> wrongSecretFor,
                    const std::set<uint32_t>& selfGrantedScreen)
{
    ++m_epoch;
    const crypto::SecureBuffer secret = crypto::SecureBuffer::random(32);
    const crypto::SecureBuffer other = crypto::SecureBuffer::random(32);
    for (uint32_t index : members)
        mesh(index).applyEpoch(keysFor(index, members, screenAllowed,
                                       selfGrantedScreen.count(index) > 0,
                                       wrongSecretFor == index ? other : secret));
}

void MeshKit::run(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
}

uint64_t MeshKit::decoded(uint32_t receiver, uint32_t sender, StreamKind kind)
{
    for (const auto& s : mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s.framesDecoded;
    return 0;
}

uint64_t MeshKit::failures(uint32_t receiver, uint32_t sender, StreamKind kind)
{
    for (const auto& s : mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s.decryptFailures;
    return 0;
}

} // namespace conclave::testsupport
