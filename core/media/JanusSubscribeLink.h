// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "janus/VideoRoomSubscriber.h"
#include "media/IceWatch.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <QObject>
#include <QString>

#include <gst/gst.h>
#include <gst/sdp/sdp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace conclave::media {

/// This member's one PeerConnection receiving everyone else's streams from Janus (docs/media.md
/// "Janus links"): a webrtcbin that answers each of Janus's offers (set-remote-description,
/// create-answer, `start`) from the member's VideoRoomSubscriber. Janus's stream layout says
/// which subscriber mid carries which feed's stream; each webrtcbin source pad is matched to it
/// through its transceiver's `mid` and handed to `PadHandler` with the feed and stream kind,
/// where the media seam links it into that member's depayload ! decrypt branch. Nothing here
/// decrypts: frames of a feed that is not who Janus says it is fail SFrame authentication in
/// that member's branch (keys are per member), so a wrong mapping fails closed.
///
/// Lives on the Qt thread; webrtcbin's callbacks are handed over with queued calls, except
/// pad-added, whose PadHandler runs on GStreamer's thread (it must link the pad at once).
class JanusSubscribeLink : public QObject {
    Q_OBJECT
public:
    /// A pad carrying `feed`'s stream `kind`: link it now (any thread).
    using PadHandler = std::function<void(uint64_t feed, StreamKind kind, GstPad* pad)>;
    /// The pad of subscriber stream `mid` no longer carries `feed`'s `kind` (the feed left,
    /// was unsubscribed, or Janus reused the m-line): detach that branch (Qt thread). If the
    /// m-line now carries another feed, PadHandler follows with the same pad.
    using PadGone = std::function<void(uint64_t feed, StreamKind kind, GstPad* pad)>;

    /// `reportProblem` (any thread) hears when the link cannot carry media (IceWatch).
    JanusSubscribeLink(GstElement* pipeline, const MediaOptions& options,
                       janus::VideoRoomSubscriber& subscriber, PadHandler onPad, PadGone onGone,
                       IceWatch::Reporter reportProblem = {}, QObject* parent = nullptr);
    ~JanusSubscribeLink() override;
    JanusSubscribeLink(const JanusSubscribeLink&) = delete;
    JanusSubscribeLink& operator=(const JanusSubscribeLink&) = delete;

    /// Asks Janus to have `feed`'s sender make a keyframe of `kind` (a stream whose receiver
    /// waits for one). False when the subscription carries no such stream.
    bool askForKeyframe(uint64_t feed, StreamKind kind);
    /// Keyframes asked of Janus for streams a renegotiation added (see requestKeyframes).
    int keyframeAsks() const { return m_keyframeAsks; }
    /// Offers answered so far (first offer and renegotiations).
    int answers() const { return m_answers; }
    /// The last error answering Janus (empty when none).
    const QString& lastProblem() const { return m_problem; }
    /// Hands every pad given out back (PadGone for each), before the link is dropped: the
    /// members' branches leave its pads while they still exist.
    void releasePads();

signals:
    /// An offer of Janus's could not be answered (not SDP, refused by webrtcbin, no answer,
    /// or Janus refused the answer): Janus waits for an answer that will not come, so nothing
    /// more changes in this subscription. The owner makes a new one.
    void negotiationFailed(const QString& why);

private:
    struct Route {
        uint64_t feed = 0;
        StreamKind kind = StreamKind::Audio;
    };
    void onOffer(const QString& sdp);
    /// webrtcbin's thread: `remoteSet` is set-remote-description's promise (already answered:
    /// webrtcbin works in order), `answered` create-answer's.
    void onAnswerCreated(GstPromise* remoteSet, GstPromise* answered);
    void failNegotiation(const QString& why);
    /// Makes this side of the answer the DTLS server (`a=setup:passive`): see the definition.
    static void waitForJanusHandshake(GstSDPMessage* answer);
    void onStreamsChanged();
    void onPadAdded(GstPad* pad);
    /// After an answer: asks for a keyframe on every video mid that carries a feed it did not
    /// carry at the previous answer (Janus asks by itself only when the connection comes up).
    void requestKeyframesForNewStreams();
    /// The feed and kind Janus says subscriber `mid` carries now, if any.
    std::optional<Route> routeOf(const QString& mid) const;

    static void iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self);
    static void padAdded(GstElement*, GstPad* pad, gpointer self);

    GstElement* m_pipeline;
    MediaOptions m_options;
    janus::VideoRoomSubscriber& m_subscriber;
    PadHandler m_onPad;
    PadGone m_onGone;
    GstElement* m_webrtc = nullptr;
    std::unique_ptr<IceWatch> m_iceWatch;
    std::vector<GstElement*> m_elements;
    int m_answers = 0;
    int m_keyframeAsks = 0;
    QString m_problem;
    /// Video mids and the feed each carried when a keyframe was last asked for (Qt thread).
    std::map<QString, uint64_t> m_keyframed;

    mutable std::mutex m_mutex; ///< guards what pad-added (GStreamer's thread) touches below
    /// Janus's layout: subscriber mid -> feed and kind (active streams only).
    std::map<QString, Route> m_routes;
    /// Pads seen, by mid, and what each was handed out as.
    std::map<QString, GstPad*> m_pads;
    std::map<QString, Route> m_handed;
};

} // namespace conclave::media
