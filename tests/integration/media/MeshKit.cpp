// SPDX-License-Identifier: GPL-3.0-or-later
#include "MeshKit.h"

#include "crypto/ClearPrefix.h"
#include "crypto/SframeReceiver.h"
#include "crypto/SframeSender.h"
#include "media/LocalStreams.h"
#include "media/SframeEncrypt.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <atomic>

namespace conclave::testsupport {

using media::StreamKind;

/// One forged stream: opens each outgoing frame with the current key and seals it again
/// under the past epoch's key, as someone holding that epoch's secret would.
struct MeshKit::Forgery {
    uint32_t sender = 0;
    StreamKind kind = StreamKind::Audio;
    crypto::SframeReceiver current;
    crypto::MediaKey past;
    uint64_t counter = uint64_t(1) << 24;
    std::atomic<uint64_t> count{0};

    static GstPadProbeReturn rewrite(GstPad*, GstPadProbeInfo* info, gpointer data)
    {
        auto* self = static_cast<Forgery*>(data);
        GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
        GstMapInfo map;
        if (!buffer || !gst_buffer_map(buffer, &map, GST_MAP_READ))
            return GST_PAD_PROBE_DROP;
        const crypto::ByteView wire(map.data, map.size);
        const crypto::MediaCodec codec = media::traitsOf(self->kind).codec;
        auto frame = self->current.unprotect(codec, wire);
        gst_buffer_unmap(buffer, &map);
        if (!frame)
            return GST_PAD_PROBE_DROP; // not under the current key: nothing of it goes out
        const size_t prefix = crypto::ClearPrefix::length(codec, *frame).value();
        const crypto::ByteView clear(*frame);
        auto sealed = crypto::SframeSender::protectWithCounterForTestVectors(
            crypto::CipherSuite::ChaCha20Poly1305Sha256, self->past.baseKey.view(), self->past.kid,
            self->counter++, clear.first(prefix), clear.subspan(prefix));
        if (!sealed)
            return GST_PAD_PROBE_DROP;
        crypto::Bytes out(clear.begin(), clear.begin() + std::ptrdiff_t(prefix));
        out.insert(out.end(), sealed->begin(), sealed->end());
        GstBuffer* forged = gst_buffer_new_memdup(out.data(), out.size());
        gst_buffer_copy_into(forged, buffer, GST_BUFFER_COPY_METADATA, 0, -1);
        gst_buffer_unref(buffer);
        GST_PAD_PROBE_INFO_DATA(info) = forged;
        ++self->count;
        return GST_PAD_PROBE_OK;
    }
};

MeshKit::MeshKit(media::MediaOptions options) : m_options(std::move(options)) {}

MeshKit::~MeshKit() = default;

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
    const crypto::SecureBuffer& secret =
        m_secrets.emplace(m_epoch, crypto::SecureBuffer::random(32)).first->second;
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

uint64_t MeshKit::sent(uint32_t sender, StreamKind kind)
{
    GstElement* encryptor = mesh(sender).local().encryptor(kind);
    return encryptor ? media::sframe_encrypt::stats(encryptor).protectedFrames : 0;
}

uint64_t MeshKit::unknownKey(uint32_t receiver, uint32_t sender, StreamKind kind)
{
    for (const auto& s : mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s.unknownKey;
    return 0;
}

void MeshKit::forgeUnderEpoch(uint32_t sender, StreamKind kind, uint64_t asEpoch)
{
    auto forgery = std::make_unique<Forgery>();
    forgery->sender = sender;
    forgery->kind = kind;
    const auto context = media::traitsOf(kind).context;
    const auto now =
        crypto::deriveMediaKey(m_secrets.at(m_epoch), m_epoch, sender, context).value();
    if (!forgery->current.addKey(now.kid, crypto::CipherSuite::ChaCha20Poly1305Sha256,
                                 now.baseKey.view()))
        qFatal("the current key was refused");
    forgery->past = crypto::deriveMediaKey(m_secrets.at(asEpoch), asEpoch, sender, context).value();
    GstPad* src = gst_element_get_static_pad(mesh(sender).local().encryptor(kind), "src");
    gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, Forgery::rewrite, forgery.get(), nullptr);
    gst_object_unref(src);
    m_forgeries.push_back(std::move(forgery));
}

uint64_t MeshKit::forged(uint32_t sender, StreamKind kind) const
{
    uint64_t total = 0;
    for (const auto& f : m_forgeries)
        if (f->sender == sender && f->kind == kind)
            total += f->count;
    return total;
}

uint64_t MeshKit::failures(uint32_t receiver, uint32_t sender, StreamKind kind)
{
    for (const auto& s : mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s.decryptFailures;
    return 0;
}

} // namespace conclave::testsupport
