// SPDX-License-Identifier: GPL-3.0-or-later
#include "HeadlessDemo.h"

#include "ExitCode.h"
#include "conference/DemoCast.h"
#include "conference/DemoScript.h"
#include "conference/EmbeddedHost.h"
#include "media/MediaMesh.h"

#include <QCoreApplication>

namespace conclave::app {

int HeadlessDemo::run()
{
    const policy::PolicyDocument& policy = m_effective.document;
    auto setup = conference::DemoCast::meetingSetup(policy);
    if (!setup) {
        m_out.writeFailure("error", setup.error());
        return kExitInvalidInput;
    }
    auto hosted = conference::EmbeddedHost::hostMeeting(
        m_device.dataDirectory(), QHostAddress(QHostAddress::LocalHost), 0, m_device.identity(),
        policy, m_clock, *setup, &m_device.audit());
    if (!hosted) {
        m_out.writeFailure(failureEventFor(hosted.error()), hosted.error());
        return exitCodeFor(hosted.error(), kExitConnectionOrIdentity);
    }
    conference::ChairController& chair = **hosted;
    media::MediaOptions media;
    media.localAddresses = {QStringLiteral("127.0.0.1")};
    if (auto started = chair.startMedia(media, {}); !started) {
        m_out.writeFailure("error", started.error());
        return kExitConnectionOrIdentity;
    }
    conference::DemoCast cast(chair, policy, m_clock, media);
    conference::DemoScript script(chair, cast);
    int exitCode = kExitOk;
    // Frames the chair decoded from the others, sampled at every step (the mesh is gone
    // once the meeting has ended).
    qint64 decoded = 0;
    const auto sampleDecoded = [&] {
        qint64 now = 0;
        if (chair.mesh())
            for (const auto& s : chair.mesh()->stats())
                now += qint64(s.framesDecoded);
        decoded = std::max(decoded, now);
    };

    QObject::connect(&chair, &conference::MeetingController::eventsOccurred,
                     [this](const meeting::MeetingEvents& events) {
                         for (const auto& e : events)
                             m_out.write(e.toJson());
                     });
    QObject::connect(&chair, &conference::ChairController::created, [&] {
        const auto& d = chair.session().descriptor();
        m_out.write({{QStringLiteral("event"), QStringLiteral("meeting")},
                     {QStringLiteral("title"), d.title},
                     {QStringLiteral("marking"), d.marking},
                     {QStringLiteral("hub"), chair.session().hubUrl()},
                     {QStringLiteral("meeting_code"), chair.securityCode()}});
        if (auto started = cast.start(); !started) {
            m_out.writeFailure("error", started.error());
            exitCode = kExitConnectionOrIdentity;
            QCoreApplication::quit();
            return;
        }
        script.start();
    });
    QObject::connect(
        &cast, &conference::DemoCast::actorProblem,
        [this](const QString&, const Error& error) { m_out.writeFailure("warning", error); });
    QObject::connect(&script, &conference::DemoScript::acted,
                     [&](const QString& action, const QString& who) {
                         sampleDecoded();
                         m_out.write({{QStringLiteral("event"), QStringLiteral("demo_step")},
                                      {QStringLiteral("action"), action},
                                      {QStringLiteral("who"), who}});
                     });
    QObject::connect(&script, &conference::DemoScript::finished,
                     [&](bool ok, const QString& reason) {
                         m_out.write({{QStringLiteral("event"), QStringLiteral("demo_finished")},
                                      {QStringLiteral("ok"), ok},
                                      {QStringLiteral("reason"), reason},
                                      {QStringLiteral("frames_decoded_by_chair"), decoded}});
                         exitCode = ok ? kExitOk : kExitFailed;
                     });
    // The refusal itself is printed as the meeting's `refused` event.
    QObject::connect(&chair, &conference::MeetingController::refused, [&](const Error& error) {
        exitCode = exitCodeFor(error, kExitConnectionOrIdentity);
    });
    QObject::connect(&chair, &conference::MeetingController::connectionFailed,
                     [&](const Error& error) {
                         m_out.writeFailure("error", error);
                         exitCode = kExitConnectionOrIdentity;
                     });
    QObject::connect(&chair, &conference::MeetingController::finished,
                     [] { QCoreApplication::quit(); });
    chair.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace conclave::app
