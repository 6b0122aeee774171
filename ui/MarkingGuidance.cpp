// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MarkingGuidance.h"

#include <QCoreApplication>

namespace conclave::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("conclave::ui::MarkingGuidance", text);
}

} // namespace

QString handlingGuidance(const classification::Scheme& scheme,
                         const classification::Marking& marking)
{
    QStringList out;
    const std::string& level = scheme.levels[marking.level].name;
    const bool uk = scheme.id == classification::Scheme::ukGovernment().id;
    if (uk && level == "OFFICIAL" && !marking.sensitive)
        out << tr("Routine public-sector business. Discuss it only with people who need to "
                  "know, take care where you can be overheard, and do not record it.");
    else if (uk && level == "OFFICIAL")
        out << tr("OFFICIAL-SENSITIVE: information whose loss could cause real harm. Join only "
                  "from a place where nobody can see or hear the meeting, on a managed "
                  "device, and do not share what is said beyond those who need to know.");
    else if (uk && level == "SECRET")
        out << tr("SECRET: very sensitive information. Join only from an accredited location "
                  "and system; nobody without the clearance may see or hear the meeting.");
    else if (uk && level == "TOP SECRET")
        out << tr("TOP SECRET: the most sensitive information. Join only from an accredited "
                  "location and system approved for it.");
    else
        out << tr("This meeting is marked %1 under %2. Handle what you see and hear as that "
                  "marking requires.")
                   .arg(QString::fromStdString(marking.canonical),
                        QString::fromStdString(scheme.name));
    if (marking.caveat)
        out << tr("%1: only nationals of the countries it names may take part.")
                   .arg(QString::fromStdString(*marking.caveat));
    for (const auto& h : marking.handlingInstructions)
        out << tr("Handling instruction: %1.").arg(QString::fromStdString(h));
    for (const auto& d : marking.descriptors)
        out << tr("Descriptor: %1 - take the extra care it calls for.")
                   .arg(QString::fromStdString(d));
    return out.join(QLatin1Char('\n'));
}

} // namespace conclave::ui
