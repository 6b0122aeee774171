// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/ComponentScanner.h"

#include "classification/EmbargoParser.h"
#include "classification/MarkingRules.h"
#include "classification/MessageText.h"

#include <algorithm>

namespace conclave::classification {
namespace {

// GSC sets no limit; four words covers names such as "HM REVENUE & CUSTOMS" while keeping a
// stray phrase from being swallowed as an organisation.
constexpr size_t kMaxOrganisationWords = 4;

std::string joinWords(const std::vector<std::string>& words, size_t pos, size_t count)
{
    std::string out;
    for (size_t i = pos; i < pos + count && i < words.size(); ++i)
        out += (i == pos ? "" : " ") + words[i];
    return out;
}

bool isOrganisationWord(const std::string& word)
{
    return std::all_of(word.begin(), word.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '&';
    });
}

} // namespace

ComponentScanner::ComponentScanner(const Scheme& scheme, const std::vector<std::string>& words)
    : m_scheme(scheme), m_words(words), m_table(scheme)
{
}

Result<ScannedMarking> ComponentScanner::scan(std::vector<std::string>& corrections) const
{
    ScannedMarking scanned;
    const auto levelWords = readLevel(scanned, corrections);
    if (!levelWords)
        return levelWords.error();
    const std::string grade = MarkingRules::gradeName(m_scheme, scanned.level, scanned.sensitive);

    // Words not recognised yet: they are the organisation if "USE ONLY" follows, otherwise
    // the first of them is reported as unknown (never taken as a codeword).
    std::vector<std::string> pending;
    for (size_t i = *levelWords; i < m_words.size();) {
        const auto match = m_table.match(m_words, i);
        if (!match) {
            pending.push_back(m_words[i++]);
            continue;
        }
        if (match->kind != ComponentKind::UseOnly && !pending.empty())
            return unknownWord(pending.front());
        if (match->kind == ComponentKind::Level)
            return makeError("marking.two_levels", "a marking has one level, but this one has '" +
                                                       grade + "' and '" +
                                                       joinWords(m_words, i, match->wordCount) +
                                                       "'; keep only the level that applies");
        auto component = makeComponent(*match, i, pending, corrections);
        if (!component)
            return component.error();
        pending.clear();
        if (auto error = checkAgainst(scanned.components, component->first))
            return *error;
        scanned.components.push_back(std::move(component->first));
        i += component->second;
    }
    if (!pending.empty())
        return unknownWord(pending.front());
    return scanned;
}

Result<size_t> ComponentScanner::readLevel(ScannedMarking& scanned,
                                           std::vector<std::string>& corrections) const
{
    const auto first = m_table.matchLevel(m_words, 0);
    if (!first) {
        for (size_t j = 1; j < m_words.size(); ++j)
            if (const auto later = m_table.matchLevel(m_words, j))
                return makeError("marking.level_not_first",
                                 "the marking must start with its level, but '" + m_words[0] +
                                     "' comes before the level '" +
                                     m_scheme.levels.at(later->index).name +
                                     "'; write the level first");
        const auto start = m_table.match(m_words, 0);
        const std::string found = start ? joinWords(m_words, 0, start->wordCount) : m_words[0];
        return makeError("marking.missing_level", "the marking must start with a level (" +
                                                      MarkingRules::levelList(m_scheme) +
                                                      "), not '" + found + "'");
    }

    scanned.level = first->index;
    const std::string& levelName = m_scheme.levels.at(first->index).name;
    const std::string& suffix = m_scheme.sensitiveSuffix;
    size_t used = first->wordCount;
    if (first->suffix) {
        const std::string written = levelName + "-" + *first->suffix;
        if (suffix.empty())
            return makeError("marking.bad_suffix",
                             "'" + written + "' is not a marking: levels of the " + m_scheme.name +
                                 " take no suffix; write '" + levelName + "'");
        if (*first->suffix != suffix)
            return makeError("marking.bad_suffix",
                             "'" + written + "' is not a marking: the only suffix is -" + suffix +
                                 ", written as in '" + MarkingRules::sensitiveExample(m_scheme) +
                                 "'");
        scanned.sensitive = true;
    } else if (!suffix.empty() && used < m_words.size() && m_words[used] == suffix) {
        // "OFFICIAL SENSITIVE": the same marking with a space where the hyphen belongs.
        scanned.sensitive = true;
        ++used;
        corrections.push_back("joined '" + levelName + " " + suffix + "' with a hyphen as '" +
                              levelName + "-" + suffix + "'");
    }
    const auto& allowed = m_scheme.sensitiveLevels;
    if (scanned.sensitive &&
        std::find(allowed.begin(), allowed.end(), first->index) == allowed.end()) {
        std::vector<std::string> names;
        for (size_t i : allowed)
            if (i < m_scheme.levels.size())
                names.push_back(m_scheme.levels[i].name);
        std::string list;
        for (size_t i = 0; i < names.size(); ++i)
            list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        return makeError("marking.sensitive_not_allowed",
                         "-" + suffix + " applies only to " +
                             (list.empty() ? std::string("no level of this scheme") : list) +
                             "; '" + levelName + "-" + suffix + "' is not a marking, write '" +
                             levelName + "'");
    }
    return used;
}

Result<std::pair<Component, size_t>>
ComponentScanner::makeComponent(const PhraseMatch& match, size_t pos,
                                const std::vector<std::string>& pending,
                                std::vector<std::string>& corrections) const
{
    Component c{match.kind, match.index, joinWords(m_words, pos, match.wordCount)};
    if (match.kind == ComponentKind::UseOnly) {
        if (auto error = checkOrganisation(pending))
            return *error;
        c.phrase = concat({joinWords(pending, 0, pending.size()), " ", PhraseTable::kUseOnly});
    } else if (match.kind == ComponentKind::Embargo) {
        auto embargo = EmbargoParser::parse(m_words, pos);
        if (!embargo)
            return embargo.error();
        if (embargo->correction)
            corrections.push_back(*embargo->correction);
        c.phrase = embargo->phrase;
        return std::pair{std::move(c), embargo->wordCount};
    }
    return std::pair{std::move(c), match.wordCount};
}

std::optional<Error> ComponentScanner::checkOrganisation(const std::vector<std::string>& org) const
{
    const std::string useOnly(PhraseTable::kUseOnly);
    if (org.empty())
        return makeError("marking.use_only_without_org",
                         "'" + useOnly +
                             "' must follow the name of the organisation it limits use to, as "
                             "in 'ACME " +
                             useOnly + "'");
    const std::string name = joinWords(org, 0, org.size());
    if (org.size() > kMaxOrganisationWords)
        return makeError("marking.org_name",
                         "the organisation '" + name + "' in '" + name + " " + useOnly +
                             "' has more than " + std::to_string(kMaxOrganisationWords) +
                             " words; shorten it or remove the words that are not part of it");
    for (const auto& word : org)
        if (!isOrganisationWord(word))
            return makeError("marking.org_name",
                             "the organisation word '" + word + "' in '" + name + " " + useOnly +
                                 "' may only use the letters A-Z, the digits 0-9 and '&'");
    return std::nullopt;
}

bool ComponentScanner::isUseOnly(const Component& c) const
{
    // A scheme's fixed "... USE ONLY" phrase (UK: HMG USE ONLY) limits use just as an
    // organisation does, so it counts towards the one-organisation rule.
    const std::string tail = concat({" ", PhraseTable::kUseOnly});
    return c.kind == ComponentKind::UseOnly ||
           (m_scheme.orgUseOnly && c.kind == ComponentKind::Handling &&
            c.phrase.size() > tail.size() &&
            c.phrase.compare(c.phrase.size() - tail.size(), tail.size(), tail) == 0);
}

std::optional<Error> ComponentScanner::checkAgainst(const std::vector<Component>& before,
                                                    const Component& c) const
{
    // Strict group order rather than silent reordering across groups: a caveat among the
    // descriptors is more likely a mistake the author should see than a style slip.
    if (!before.empty() && componentGroup(c.kind) < componentGroup(before.back().kind)) {
        const Component& prev = before.back();
        return makeError("marking.order",
                         componentKindName(prev.kind) + " '" + prev.phrase + "' must come after " +
                             componentKindName(c.kind) + " '" + c.phrase +
                             "'; the order is: level, codewords, national caveat, handling "
                             "instructions, descriptors");
    }
    for (const Component& other : before) {
        if (other.kind == c.kind && other.phrase == c.phrase)
            return makeError("marking.duplicate",
                             "'" + c.phrase + "' appears more than once; write it once");
        if (other.kind == ComponentKind::Embargo && c.kind == ComponentKind::Embargo)
            return makeError("marking.duplicate", "the marking has two embargoes, '" +
                                                      other.phrase + "' and '" + c.phrase +
                                                      "'; give one");
        if (other.kind == ComponentKind::Caveat && c.kind == ComponentKind::Caveat)
            return makeError("marking.two_caveats",
                             "a marking carries at most one national caveat, but this one has '" +
                                 other.phrase + "' and '" + c.phrase + "'");
        if (isUseOnly(other) && isUseOnly(c))
            return makeError(
                "marking.duplicate",
                "a marking can limit use to one organisation only, but this one has '" +
                    other.phrase + "' and '" + c.phrase + "'");
    }
    return std::nullopt;
}

Error ComponentScanner::unknownWord(const std::string& word) const
{
    const auto& suffix = m_scheme.sensitiveSuffix;
    if (!suffix.empty() && word == suffix)
        return makeError("marking.misplaced_suffix",
                         "'" + word + "' may only be written straight after the level, as in '" +
                             MarkingRules::sensitiveExample(m_scheme) + "'");
    if (word.find('-') != std::string::npos)
        return makeError("marking.misplaced_hyphen", "the hyphen in '" + word +
                                                         "' is not allowed there; " +
                                                         MarkingRules::hyphenUse(m_scheme));
    return makeError("marking.unknown_word",
                     "unknown word '" + word +
                         "': it is not a level, codeword, national caveat, handling instruction "
                         "or descriptor of the " +
                         m_scheme.name + " (if it is a codeword, the policy must register it)");
}

} // namespace conclave::classification
