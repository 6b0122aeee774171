// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/MarkingRules.h"

#include "classification/MessageText.h"

#include <algorithm>
#include <functional>

namespace conclave::classification {
namespace {

std::string quotedList(const std::vector<const Component*>& items)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "'" : ", '") + items[i]->phrase + "'";
    return out;
}

/// Position within the handling group: the scheme's fixed phrases in their listed order, then
/// "<ORG> USE ONLY", then the embargo (the scheme lists only the fixed phrases).
size_t handlingRank(const Scheme& scheme, const Component& c)
{
    switch (c.kind) {
    case ComponentKind::UseOnly:
        return scheme.handlingInstructions.size();
    case ComponentKind::Embargo:
        return scheme.handlingInstructions.size() + 1;
    default:
        return c.index;
    }
}

/// Sorts one group into canonical order and records the change if there was one.
std::vector<const Component*> ordered(std::vector<const Component*> group,
                                      const std::function<size_t(const Component&)>& rank,
                                      const std::string& groupName,
                                      std::vector<std::string>& corrections)
{
    const auto written = group;
    std::stable_sort(group.begin(), group.end(),
                     [&](const Component* a, const Component* b) { return rank(*a) < rank(*b); });
    if (group != written)
        corrections.push_back("put the " + groupName +
                              " in the standard order: " + quotedList(group));
    return group;
}

bool isRestrictive(const Scheme& scheme, const Component& c)
{
    switch (c.kind) {
    case ComponentKind::Caveat:
    case ComponentKind::UseOnly:
        return true;
    case ComponentKind::Handling:
        return !scheme.handlingInstructions.at(c.index).publicRelease;
    default:
        // An embargo only delays publication, so it sits happily with public release.
        return false;
    }
}

} // namespace

std::optional<Error> MarkingRules::check(const Scheme& scheme, const ScannedMarking& scanned)
{
    const size_t level = scanned.level;
    const std::string grade = gradeName(scheme, level, scanned.sensitive);
    const size_t top = scheme.levels.size() - 1;
    for (const Component& c : scanned.components) {
        if (c.kind == ComponentKind::Codeword && level < scheme.codewordMinLevel)
            return makeError("marking.codeword_level",
                             "codeword '" + c.phrase + "' is only allowed on " +
                                 levelList(scheme, scheme.codewordMinLevel, top, "and") +
                                 ", not on " + grade);
        if (c.kind == ComponentKind::Caveat && level < scheme.caveatMinLevel)
            return makeError("marking.caveat_level",
                             "national caveat '" + c.phrase + "' is only allowed on " +
                                 levelList(scheme, scheme.caveatMinLevel, top, "and") +
                                 ", not on " + grade);
        if (c.kind != ComponentKind::Handling)
            continue;
        const HandlingInstruction& h = scheme.handlingInstructions.at(c.index);
        if (h.maxLevel && level > *h.maxLevel)
            return makeError("marking.handling_level",
                             "'" + c.phrase + "' is only allowed on " +
                                 levelList(scheme, 0, *h.maxLevel, "and") + ", not on " + grade);
        if (!h.allowedWithSensitive && scanned.sensitive)
            return makeError("marking.handling_sensitive",
                             "'" + c.phrase + "' cannot be used with -" + scheme.sensitiveSuffix +
                                 ": " + grade + " contradicts it; remove one of them");
        if (!h.publicRelease)
            continue;
        for (const Component& other : scanned.components)
            if (isRestrictive(scheme, other))
                return makeError("marking.handling_conflict",
                                 "'" + c.phrase + "' cannot be combined with '" + other.phrase +
                                     "', which restricts who may see it; remove one of them");
    }
    return std::nullopt;
}

Marking MarkingRules::assemble(const Scheme& scheme, const ScannedMarking& scanned,
                               std::vector<std::string>& corrections)
{
    std::vector<const Component*> codewords, handling, descriptors;
    const Component* caveat = nullptr;
    for (const Component& c : scanned.components) {
        switch (componentGroup(c.kind)) {
        case 1:
            codewords.push_back(&c);
            break;
        case 2:
            caveat = &c;
            break;
        case 3:
            handling.push_back(&c);
            break;
        default:
            descriptors.push_back(&c);
            break;
        }
    }
    const auto byIndex = [](const Component& c) { return c.index; };
    // Codewords follow the order the policy registered them in, so two markings with the same
    // codewords are spelt (and compare) the same.
    codewords = ordered(codewords, byIndex, "codewords", corrections);
    handling = ordered(
        handling, [&](const Component& c) { return handlingRank(scheme, c); },
        "handling instructions", corrections);
    descriptors = ordered(descriptors, byIndex, "descriptors", corrections);

    Marking m;
    m.level = scanned.level;
    m.sensitive = scanned.sensitive;
    m.canonical = gradeName(scheme, scanned.level, scanned.sensitive);
    for (const Component* c : codewords) {
        m.codewords.push_back(c->phrase);
        m.canonical += " " + c->phrase;
    }
    if (caveat) {
        m.caveat = caveat->phrase;
        m.canonical += " " + caveat->phrase;
    }
    for (const Component* c : handling) {
        m.handlingInstructions.push_back(c->phrase);
        m.canonical += " " + c->phrase;
    }
    for (const Component* c : descriptors) {
        m.descriptors.push_back(c->phrase);
        m.canonical += " " + c->phrase;
    }
    return m;
}

std::string MarkingRules::gradeName(const Scheme& scheme, size_t level, bool sensitive)
{
    std::string name = scheme.levels.at(level).name;
    if (sensitive)
        name += "-" + scheme.sensitiveSuffix;
    return name;
}

std::string MarkingRules::levelList(const Scheme& scheme, size_t from, size_t to,
                                    std::string_view conjunction)
{
    std::string out;
    for (size_t i = from; i <= to && i < scheme.levels.size(); ++i) {
        if (i > from)
            out += i == to ? concat({" ", conjunction, " "}) : std::string(", ");
        out += scheme.levels[i].name;
    }
    return out;
}

std::string MarkingRules::levelList(const Scheme& scheme)
{
    return scheme.levels.empty() ? std::string()
                                 : levelList(scheme, 0, scheme.levels.size() - 1, "or");
}

std::string MarkingRules::sensitiveExample(const Scheme& scheme)
{
    for (size_t i : scheme.sensitiveLevels)
        if (i < scheme.levels.size())
            return scheme.levels[i].name + "-" + scheme.sensitiveSuffix;
    return "LEVEL-" + scheme.sensitiveSuffix;
}

std::string MarkingRules::hyphenUse(const Scheme& scheme)
{
    std::vector<std::string> uses;
    if (!scheme.sensitiveSuffix.empty() && !scheme.sensitiveLevels.empty())
        uses.push_back(concat({"'", sensitiveExample(scheme), "'"}));
    if (scheme.embargo)
        uses.push_back("embargo dates such as 2026-12-01");
    if (uses.empty())
        return "markings of the " + scheme.name + " use no hyphens";
    return "a hyphen is only used in " + uses.front() +
           (uses.size() > 1 ? " and in " + uses.back() : std::string());
}

} // namespace conclave::classification
