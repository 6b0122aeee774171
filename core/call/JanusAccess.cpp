// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/JanusAccess.h"

namespace conclave::call {

Result<JanusAccess> JanusAccess::check(const policy::Backend* backend, const QString& endpoint,
                                       uint64_t room, const QString& token)
{
    if (!backend || backend->kind != policy::BackendKind::HubJanus)
        return Error{"media.not_sfu_backend",
                     "The hub sent this member to a media server (" + endpoint.toStdString() +
                         "), but this meeting's backend is not a hub+janus backend in this "
                         "computer's policy, so media stays on direct connections between "
                         "members. An administrator would list the backend as hub+janus with "
                         "its Janus endpoints.",
                     ErrorCategory::PolicyRefusal};
    // "wss://sfu:8989" and "wss://sfu:8989/" name the same endpoint; nothing else is lenient.
    const auto normal = [](const QString& text) {
        QUrl url = QUrl(text, QUrl::StrictMode).adjusted(QUrl::StripTrailingSlash);
        if (url.path() == QLatin1String("/"))
            url.setPath(QString()); // StripTrailingSlash keeps a lone "/"
        return url;
    };
    const QUrl url = normal(endpoint);
    for (const policy::Endpoint& e : backend->endpoints) {
        if (e.role != policy::Endpoint::Role::Janus || normal(QString::fromStdString(e.url)) != url)
            continue;
        JanusAccess access{QUrl(endpoint, QUrl::StrictMode), {}, room, token};
        for (const std::string& pin : e.spkiSha256)
            access.pins << QString::fromStdString(pin);
        return access;
    }
    return Error{"media.janus_not_in_policy",
                 "The hub sent this member's media to " + endpoint.toStdString() +
                     ", which this computer's policy does not list as a Janus endpoint of "
                     "backend '" +
                     backend->id +
                     "', so no audio or video is sent there. An administrator must list that "
                     "address (with its key pin) for the backend, or correct the hub's Janus "
                     "instance list.",
                 ErrorCategory::PolicyRefusal};
}

} // namespace conclave::call
