#include "engine/names.h"

#include <sys/random.h>

namespace berth::engine {

namespace {
const char* kLeft[] = {"admiring", "bold",    "brave",      "clever",  "eager",    "elegant",
                       "festive",  "gallant", "happy",      "jolly",   "keen",     "loving",
                       "modest",   "nifty",   "optimistic", "quirky",  "relaxed",  "serene",
                       "stoic",    "tender",  "upbeat",     "vibrant", "wizardly", "zealous"};
const char* kRight[] = {"almeida", "babbage", "curie",   "darwin",   "euler",    "fermi",
                        "galileo", "hopper",  "johnson", "kepler",   "lovelace", "meitner",
                        "newton",  "noether", "pascal",  "ritchie",  "shannon",  "thompson",
                        "turing",  "wozniak", "yalow",   "zhukovsky"};

unsigned random_index(unsigned n) {
  unsigned v = 0;
  while (::getrandom(&v, sizeof v, 0) != sizeof v) {
  }
  return v % n;
}
}  // namespace

std::string random_container_name() {
  return std::string(kLeft[random_index(std::size(kLeft))]) + "_" +
         kRight[random_index(std::size(kRight))];
}

bool valid_container_name(const std::string& name) {
  if (name.size() < 2) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) return false;
  for (char c : name)
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

}  // namespace berth::engine
