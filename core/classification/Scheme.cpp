// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/Scheme.h"

#include <algorithm>
#include <set>

namespace conclave::classification {

Scheme Scheme::ukGovernment()
{
    Scheme s;
    s.id = "uk-gsc-2023";
    s.name = "UK Government Security Classifications";
    // Colours are Conclave's choice (GSC prescribes none); all pass WCAG AA contrast.
    s.levels = {
        {"OFFICIAL", "#1D4E89", "#FFFFFF"},
        {"SECRET", "#B10E1E", "#FFFFFF"},
        {"TOP SECRET", "#F9C74F", "#000000"},
    };
    s.sensitiveSuffix = "SENSITIVE";
    s.sensitiveLevels = {0};
    s.handlingInstructions = {
        {"RECIPIENTS ONLY", std::nullopt, true, false},
        {"HMG USE ONLY", std::nullopt, true, false},
        {"FOR PUBLIC RELEASE", size_t{0}, false, true},
    };
    s.orgUseOnly = true;
    s.embargo = true;
    s.descriptors = {"PERSONAL DATA", "LEGAL PROFESSIONAL PRIVILEGE",
                     "LEGAL",         "MARKET SENSITIVE",
                     "COMMERCIAL",    "HR/MANAGEMENT"};
    s.caveats = {
        {"UK EYES ONLY", {"GB"}},
        {"UK/US EYES ONLY", {"GB", "US"}},
        {"FIVE EYES ONLY", {"GB", "US", "CA", "AU", "NZ"}},
    };
    s.caveatMinLevel = 1;
    s.codewordMinLevel = 1;
    return s;
}

std::vector<std::string> Scheme::approvalGrades() const
{
    std::vector<std::string> grades;
    for (size_t i = 0; i < levels.size(); ++i) {
        grades.push_back(levels[i].name);
        if (!sensitiveSuffix.empty() &&
            std::find(sensitiveLevels.begin(), sensitiveLevels.end(), i) != sensitiveLevels.end())
            grades.push_back(levels[i].name + "-" + sensitiveSuffix);
    }
    return grades;
}

std::optional<size_t> Scheme::gradeIndex(const std::string& gradeName) const
{
    const auto grades = approvalGrades();
    const auto it = std::find(grades.begin(), grades.end(), gradeName);
    if (it == grades.end())
        return std::nullopt;
    return static_cast<size_t>(it - grades.begin());
}

namespace {

bool isColour(const std::string& c)
{
    return c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char ch) {
               return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') ||
                      (ch >= 'a' && ch <= 'f');
           });
}

bool isUpperPhrase(const std::string& p)
{
    if (p.empty() || p.front() == ' ' || p.back() == ' ' || p.find("  ") != std::string::npos)
        return false;
    return std::all_of(p.begin(), p.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == ' ' || ch == '/' ||
               ch == '&';
    });
}

} // namespace

std::optional<std::string> Scheme::validationError() const
{
    if (id.empty())
        return "the scheme has no id";
    if (levels.empty())
        return "the scheme defines no levels";
    std::set<std::string> phrases;
    const auto unique = [&](const std::string& p, const char* what) -> std::optional<std::string> {
        if (!isUpperPhrase(p))
            return std::string(what) + " '" + p +
                   "' must be written in capitals (A-Z, 0-9, '/', '&') with single spaces";
        if (!phrases.insert(p).second)
            return std::string(what) + " '" + p + "' is defined twice in the scheme";
        return std::nullopt;
    };
    for (const auto& level : levels) {
        if (auto e = unique(level.name, "level"))
            return e;
        if (!isColour(level.background) || !isColour(level.foreground))
            return "level '" + level.name + "' needs colours written as #RRGGBB";
    }
    if (!sensitiveSuffix.empty() &&
        (!isUpperPhrase(sensitiveSuffix) || sensitiveSuffix.find(' ') != std::string::npos))
        return "the sensitive suffix must be one word in capitals";
    for (size_t i : sensitiveLevels)
        if (i >= levels.size())
            return "a sensitive level index is out of range";
    for (const auto& h : handlingInstructions) {
        if (auto e = unique(h.phrase, "handling instruction"))
            return e;
        if (h.maxLevel && *h.maxLevel >= levels.size())
            return "handling instruction '" + h.phrase + "' names a level that does not exist";
    }
    for (const auto& d : descriptors)
        if (auto e = unique(d, "descriptor"))
            return e;
    for (const auto& c : caveats) {
        if (auto e = unique(c.phrase, "caveat"))
            return e;
        if (c.jurisdictions.empty())
            return "caveat '" + c.phrase + "' must name at least one jurisdiction";
    }
    for (const auto& w : codewords) {
        if (auto e = unique(w, "codeword"))
            return e;
        if (w.find(' ') != std::string::npos)
            return "codeword '" + w + "' must be a single word";
    }
    if (caveatMinLevel >= levels.size() || codewordMinLevel >= levels.size())
        return "the lowest level for caveats or codewords does not exist";
    return std::nullopt;
}

} // namespace conclave::classification
