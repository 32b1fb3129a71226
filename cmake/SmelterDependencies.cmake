# The libraries the engine links, found once for every build that compiles
# it (the main build and the fuzz build). Sets:
#   SMELTER_DEPENDENCY_INCLUDE_DIRS  include folders without pkg-config/CMake files
#   SMELTER_DEPENDENCY_LIBRARIES     everything to link, as targets or paths
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
# poppler's own API (libpoppler-private-dev) for the text device only:
# extract/pdf_word_reader.h says why.
pkg_check_modules(POPPLER REQUIRED IMPORTED_TARGET poppler)
# poppler-glib only for PDF form fields: poppler-cpp has no forms API.
pkg_check_modules(POPPLER_GLIB REQUIRED IMPORTED_TARGET poppler-glib)
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(LIBMAGIC REQUIRED IMPORTED_TARGET libmagic)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(LIBGSF REQUIRED IMPORTED_TARGET libgsf-1)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract lept)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs)
# libphonenumber and cld2 ship no pkg-config or CMake files in Debian.
find_library(PHONENUMBER_LIBRARY NAMES phonenumber REQUIRED)
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
# cld2_full holds the large language tables; the functions are in cld2.
find_library(CLD2_LIBRARY NAMES cld2_full REQUIRED)
find_library(CLD2_CODE_LIBRARY NAMES cld2 REQUIRED)
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_path(HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h REQUIRED)
# Debian's OpenBLAS keeps cblas.h in a variant folder.
find_path(CBLAS_INCLUDE_DIR cblas.h REQUIRED
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas)
find_library(OPENBLAS_LIBRARY NAMES openblas REQUIRED)


set(SMELTER_DEPENDENCY_INCLUDE_DIRS ${HNSWLIB_INCLUDE_DIR} ${CBLAS_INCLUDE_DIR} ${PHONENUMBER_INCLUDE_DIR}
  ${CLD2_INCLUDE_DIR})
set(SMELTER_DEPENDENCY_LIBRARIES
  Threads::Threads OpenSSL::Crypto nlohmann_json::nlohmann_json tomlplusplus::tomlplusplus
  PkgConfig::SQLITE3 PkgConfig::POPPLER_CPP PkgConfig::POPPLER PkgConfig::POPPLER_GLIB PkgConfig::UCHARDET PkgConfig::GUMBO
  PkgConfig::ICU PkgConfig::LIBMAGIC PkgConfig::XXHASH PkgConfig::LIBZIP PkgConfig::LIBXML2
  PkgConfig::LIBCURL PkgConfig::GMIME PkgConfig::LIBGSF PkgConfig::LIBARCHIVE PkgConfig::TESSERACT
  PkgConfig::RE2 PkgConfig::HYPERSCAN ${PHONENUMBER_LIBRARY} ${CLD2_LIBRARY} ${CLD2_CODE_LIBRARY} ${OPENBLAS_LIBRARY})
