// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/Backend.h"

#include <algorithm>

namespace conclave::policy {

std::string_view toString(BackendKind kind)
{
    switch (kind) {
    case BackendKind::Embedded:
        return "embedded";
    case BackendKind::Hub:
        return "hub";
    case BackendKind::HubJanus:
        return "hub+janus";
    }
    return "unknown";
}

std::optional<BackendKind> backendKindFromString(std::string_view text)
{
    for (auto kind : {BackendKind::Embedded, BackendKind::Hub, BackendKind::HubJanus})
        if (toString(kind) == text)
            return kind;
    return std::nullopt;
}

std::string_view toString(Endpoint::Role role)
{
    switch (role) {
    case Endpoint::Role::Hub:
        return "hub";
    case Endpoint::Role::Janus:
        return "janus";
    case Endpoint::Role::Turn:
        return "turn";
    }
    return "unknown";
}

std::vector<std::string> Backend::turnUrls() const
{
    std::vector<std::string> urls;
    for (const Endpoint& e : endpoints)
        if (e.role == Endpoint::Role::Turn)
            urls.push_back(e.url);
    return urls;
}

bool Backend::hasPin(std::string_view spkiSha256) const
{
    return std::any_of(endpoints.begin(), endpoints.end(), [&](const Endpoint& e) {
        return std::find(e.spkiSha256.begin(), e.spkiSha256.end(), spkiSha256) !=
               e.spkiSha256.end();
    });
}

} // namespace conclave::policy
