// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/ParticipantController.h"

#include "crypto/Fingerprint.h"

namespace conclave::conference {

namespace {

/// How the meeting ended, for a session state that means it is over.
std::optional<Ending> endingOf(ParticipantController::State s)
{
    using State = ParticipantController::State;
    switch (s) {
    case State::Refused:
        return Ending::Refused;
    case State::Denied:
        return Ending::Denied;
    case State::Removed:
        return Ending::Removed;
    case State::Ended:
        return Ending::Ended;
    case State::Left:
        return Ending::Left;
    default:
        return std::nullopt;
    }
}

} // namespace

ParticipantController::ParticipantController(std::unique_ptr<meeting::ParticipantSession> session,
                                             std::unique_ptr<client::HubClient> client,
                                             storage::AuditLog* audit)
    : MeetingController(std::move(client), audit), m_session(std::move(session)),
      m_lastState(m_session->state())
{
    connect(&this->client(), &client::HubClient::envelopeReceived, this,
            [this](const protocol::Envelope& e) { afterSession(m_session->onEnvelope(e)); });
    connect(&this->client(), &client::HubClient::noticeReceived, this,
            &ParticipantController::onNotice);
}

ParticipantController::~ParticipantController()
{
    detach();
}

void ParticipantController::start()
{
    client().open();
}

void ParticipantController::opened(const QString& pin)
{
    m_session->knock(pin);
    afterSession({});
    startTicking();
}

bool ParticipantController::mayReconnect() const
{
    const State s = m_session->state();
    return s == State::Member || s == State::Waiting || s == State::Knocking;
}

void ParticipantController::rejoin(const QString& pin)
{
    // A member takes its place back; one still waiting (or starting over) knocks again.
    if (m_session->state() == State::Member)
        m_session->resume(pin);
    else
        m_session->knock(pin);
}

bool ParticipantController::mayCommand(meeting::ChairAction action, bool on) const
{
    return isCoChair() && state() == State::Member && meeting::ruleOf(action, on).coChairMayAsk;
}

Result<void> ParticipantController::command(const meeting::ChairCommand& command)
{
    if (!isCoChair())
        return Error{"meeting.not_chair", "only the chair can " + std::string(command.name()) +
                                              "; a co-chair the chair names may ask the chair to " +
                                              meeting::coChairRequestNames()};
    return deliver(m_session->request(command));
}

Result<std::unique_ptr<ChairController>> ParticipantController::takeOver()
{
    auto chair = m_session->takeOver();
    if (!chair)
        return chair.error();
    return ChairController::succeed(std::move(chair).value(), handOver(), auditLog());
}

QString ParticipantController::title() const
{
    return m_session->descriptor() ? m_session->descriptor()->title : QString();
}

QString ParticipantController::marking() const
{
    return m_session->descriptor() ? m_session->descriptor()->marking : QString();
}

QString ParticipantController::securityCode() const
{
    if (m_session->state() != State::Member)
        return {};
    auto code = m_session->keys().meetingCode();
    return code ? QString::fromStdString(*code) : QString();
}

std::vector<Member> ParticipantController::members() const
{
    const auto state = m_session->mediaState();
    if (!state)
        return {};
    return membersOf(state->roster, state->ownIndex, state->sharers);
}

std::vector<Knocker> ParticipantController::waiting() const
{
    return knockersOf(m_session->lobby());
}

Result<void> ParticipantController::sendChat(const QString& text)
{
    auto sent = m_session->sendChat(text);
    if (!sent)
        return sent.error();
    // The chair's session reports its own messages; a participant's does not, so the window
    // would not show what this member just said.
    const auto state = m_session->mediaState();
    const auto* self = state ? state->roster.find(state->ownIndex) : nullptr;
    meeting::MeetingEvents events = *sent;
    events.push_back(meeting::ev::Chat{
        self ? QString::fromStdString(self->name) : QString(),
        self ? QString::fromStdString(crypto::publicKeyFingerprint(self->identity.view()))
             : QString(),
        marking(), text});
    deliver(events);
    return {};
}

void ParticipantController::leave()
{
    if (!endingOf(m_session->state()))
        afterSession(m_session->leave());
    finish(endingOf(m_session->state()).value_or(Ending::Left));
}

void ParticipantController::afterSession(const meeting::MeetingEvents& events)
{
    deliver(events);
    const State now = m_session->state();
    if (now != m_lastState) {
        m_lastState = now;
        if (now == State::Refused && m_session->endReason())
            emit refused(*m_session->endReason());
        emit stateChanged(now);
    }
    if (const auto ending = endingOf(now))
        finish(*ending, m_session->endReason());
}

void ParticipantController::onNotice(const hub::HubNotice& notice)
{
    using Kind = hub::HubNotice::Kind;
    switch (notice.kind) {
    case Kind::Lobby:
        reconnected();
        afterSession(m_session->onLobby(notice.descriptor, notice.succession));
        break;
    case Kind::Admitted:
        afterSession(m_session->onAdmitted());
        break;
    case Kind::Denied:
        afterSession(m_session->onDenied(notice.reason));
        break;
    case Kind::Removed:
        afterSession(m_session->onRemoved(notice.reason));
        break;
    case Kind::Ended:
        afterSession(m_session->onEnded());
        break;
    case Kind::Refused:
        // The place was given up while the connection was down: start a new join and knock
        // again with the same invite on the next connection (the hub closes this one).
        if (reconnecting() && notice.code.startsWith(QStringLiteral("resume."))) {
            afterSession(m_session->startOver(notice.toError()));
            break;
        }
        // A hub without the meeting may have been restarted before the chair came back:
        // keep trying (the reconnect window bounds it); an ended meeting says so instead.
        if (reconnecting() && notice.code == QStringLiteral("meeting.unknown"))
            break;
        if (notice.code == QStringLiteral("meeting.ended")) {
            afterSession(m_session->onEnded());
            break;
        }
        afterSession(m_session->onRefused(notice.toError()));
        break;
    case Kind::Left:
        if (const auto who = identityIn(notice.identity))
            afterSession(m_session->onGone(*who, notice.lobby));
        break;
    case Kind::Away: // its place is kept, but for now it is not there: for the chair, as gone
        if (const auto who = identityIn(notice.identity))
            afterSession(m_session->onGone(*who, false));
        break;
    case Kind::Resumed:
        reconnected();
        break;
    case Kind::Error:
        deliverHubWarning(notice);
        break;
    case Kind::MediaRoom:
        onMediaRoom(notice);
        break;
    case Kind::TurnCredentials:
        onTurnCredentials(notice);
        break;
    default:
        break;
    }
}

} // namespace conclave::conference
