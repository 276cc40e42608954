// Image operations the API asks for, run by the image store and reported as events the way
// dockerd reports them: pull and push name the reference ("busybox:latest", name "busybox"),
// tag names the new reference, untag/delete/load/save name the image ID.
#include <cstring>
#include <set>

#include "engine/engine.h"
#include "image/reference.h"

namespace berth::engine {

namespace {
// "busybox" -> {"busybox:latest", "busybox"}; the text itself when it does not parse.
std::pair<std::string, std::string> familiar(const std::string& ref) {
  auto r = image::parse_reference(ref);
  if (!r) return {ref, ref};
  return {r->familiar(), r->familiar_name()};
}
}  // namespace

Result<image::Image> Engine::pull_image(const std::string& ref, const image::PullOptions& options,
                                        const image::EventFn& progress) {
  BERTH_TRY_ASSIGN(image::Image img, images_->pull(ref, options, progress));
  auto [full, name] = familiar(ref);
  publish_image("pull", full, name);
  return img;
}

Result<std::string> Engine::push_image(const std::string& ref, const image::RegistryAuth& auth,
                                       const image::EventFn& progress) {
  BERTH_TRY_ASSIGN(std::string digest, images_->push(ref, auth, progress));
  auto [full, name] = familiar(ref);
  publish_image("push", full, name);
  return digest;
}

Status Engine::tag_image(const std::string& image_id, const std::string& ref) {
  BERTH_TRY(images_->tag(image_id, ref));
  publish_image("tag", image_id, familiar(ref).first);
  return ok_status();
}

Result<std::vector<image::RemoveItem>> Engine::remove_image(const std::string& ref, bool force,
                                                            bool noprune) {
  BERTH_TRY_ASSIGN(image::Image img, images_->get(ref));
  image::RemoveOptions opts;
  opts.force = force;
  opts.noprune = noprune;
  opts.users = [this](const std::string& image_id) {
    std::vector<std::pair<std::string, bool>> out;
    for (auto& c : list_containers())
      if (c.image_id == image_id) out.emplace_back(c.id, c.running());
    return out;
  };
  BERTH_TRY_ASSIGN(auto items, images_->remove(ref, opts));
  for (auto& item : items) {
    if (item.deleted)
      publish_image("delete", item.value, item.value);
    else
      publish_image("untag", img.id, img.id);
  }
  return items;
}

Result<std::vector<std::string>> Engine::load_images(int tar_fd,
                                                     const image::ProgressFn& progress) {
  BERTH_TRY_ASSIGN(auto lines, images_->load(tar_fd, progress));
  // The store reports what it loaded as Docker prints it; the event names each image once.
  std::set<std::string> seen;
  for (auto& line : lines) {
    std::string what;
    for (const char* prefix : {"Loaded image ID: ", "Loaded image: "})
      if (line.rfind(prefix, 0) == 0 && what.empty()) what = line.substr(std::strlen(prefix));
    if (what.empty()) continue;
    auto img = images_->get(what);
    if (img && seen.insert(img->id).second) publish_image("load", img->id, img->id);
  }
  return lines;
}

Status Engine::save_images(const std::vector<std::string>& refs, int out_fd) {
  BERTH_TRY(images_->save(refs, out_fd));
  std::set<std::string> seen;
  for (auto& ref : refs)
    if (auto img = images_->get(ref); img && seen.insert(img->id).second)
      publish_image("save", img->id, img->id);
  return ok_status();
}

}  // namespace berth::engine
