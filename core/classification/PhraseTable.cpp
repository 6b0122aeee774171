// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/PhraseTable.h"

#include "classification/EmbargoParser.h"

#include <algorithm>

namespace conclave::classification {
namespace {

std::vector<std::string> splitPhrase(std::string_view phrase)
{
    std::vector<std::string> words;
    size_t start = 0;
    while (start <= phrase.size()) {
        const size_t end = std::min(phrase.find(' ', start), phrase.size());
        if (end > start)
            words.emplace_back(phrase.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

} // namespace

int componentGroup(ComponentKind kind)
{
    switch (kind) {
    case ComponentKind::Level:
        return 0;
    case ComponentKind::Codeword:
        return 1;
    case ComponentKind::Caveat:
        return 2;
    case ComponentKind::Handling:
    case ComponentKind::UseOnly:
    case ComponentKind::Embargo:
        return 3;
    case ComponentKind::Descriptor:
        return 4;
    }
    return 0;
}

std::string componentKindName(ComponentKind kind)
{
    switch (kind) {
    case ComponentKind::Level:
        return "level";
    case ComponentKind::Codeword:
        return "codeword";
    case ComponentKind::Caveat:
        return "national caveat";
    case ComponentKind::Handling:
    case ComponentKind::UseOnly:
    case ComponentKind::Embargo:
        return "handling instruction";
    case ComponentKind::Descriptor:
        return "descriptor";
    }
    return "component";
}

PhraseTable::PhraseTable(const Scheme& scheme)
{
    const auto add = [this](std::string_view phrase, ComponentKind kind, size_t index) {
        auto words = splitPhrase(phrase);
        if (!words.empty())
            m_entries.push_back({std::move(words), kind, index});
    };
    for (size_t i = 0; i < scheme.levels.size(); ++i)
        add(scheme.levels[i].name, ComponentKind::Level, i);
    for (size_t i = 0; i < scheme.codewords.size(); ++i)
        add(scheme.codewords[i], ComponentKind::Codeword, i);
    for (size_t i = 0; i < scheme.caveats.size(); ++i)
        add(scheme.caveats[i].phrase, ComponentKind::Caveat, i);
    for (size_t i = 0; i < scheme.handlingInstructions.size(); ++i)
        add(scheme.handlingInstructions[i].phrase, ComponentKind::Handling, i);
    for (size_t i = 0; i < scheme.descriptors.size(); ++i)
        add(scheme.descriptors[i], ComponentKind::Descriptor, i);
    if (scheme.orgUseOnly)
        add(kUseOnly, ComponentKind::UseOnly, 0);
    if (scheme.embargo)
        add(EmbargoParser::kKeyword, ComponentKind::Embargo, 0);
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const Entry& a, const Entry& b) {
        return a.words.size() > b.words.size();
    });
}

std::optional<PhraseMatch>
PhraseTable::matchEntry(const Entry& entry, const std::vector<std::string>& words, size_t pos) const
{
    const size_t n = entry.words.size();
    if (pos + n > words.size())
        return std::nullopt;
    for (size_t k = 0; k + 1 < n; ++k)
        if (words[pos + k] != entry.words[k])
            return std::nullopt;
    const std::string& last = words[pos + n - 1];
    const std::string& expected = entry.words.back();
    PhraseMatch match{entry.kind, entry.index, n, std::nullopt};
    if (last == expected)
        return match;
    // Only a level may have something glued on with a hyphen (OFFICIAL-SENSITIVE); whether
    // that something is the scheme's suffix is for the parser to judge and explain.
    if (entry.kind == ComponentKind::Level && last.size() > expected.size() &&
        last.compare(0, expected.size(), expected) == 0 && last[expected.size()] == '-') {
        match.suffix = last.substr(expected.size() + 1);
        return match;
    }
    return std::nullopt;
}

std::optional<PhraseMatch> PhraseTable::match(const std::vector<std::string>& words,
                                              size_t pos) const
{
    for (const Entry& entry : m_entries)
        if (auto m = matchEntry(entry, words, pos))
            return m;
    return std::nullopt;
}

std::optional<PhraseMatch> PhraseTable::matchLevel(const std::vector<std::string>& words,
                                                   size_t pos) const
{
    for (const Entry& entry : m_entries)
        if (entry.kind == ComponentKind::Level)
            if (auto m = matchEntry(entry, words, pos))
                return m;
    return std::nullopt;
}

} // namespace conclave::classification
