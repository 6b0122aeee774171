# SPDX-License-Identifier: GPL-3.0-or-later
# Every dependency comes from Debian 12 packages (see scripts/dev for the list).
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Network WebSockets Test)
if(CONCLAVE_BUILD_UI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Widgets)
endif()
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3>=3.40)
# Media: GStreamer 1.22 with webrtcbin (gstreamer1.0-plugins-bad) and libnice.
pkg_check_modules(GST REQUIRED IMPORTED_TARGET gstreamer-1.0>=1.22 gstreamer-base-1.0
                  gstreamer-rtp-1.0 gstreamer-video-1.0 gstreamer-app-1.0 gstreamer-sdp-1.0
                  gstreamer-webrtc-1.0)
find_package(Qt6Keychain QUIET)
if(Qt6Keychain_FOUND)
  message(STATUS "QtKeychain found: identity keys can be protected by the OS keyring")
else()
  message(STATUS "QtKeychain not found: identity keys use a passphrase or a 0600 key file")
endif()

set(CMAKE_AUTOMOC OFF)
qt_standard_project_setup()
