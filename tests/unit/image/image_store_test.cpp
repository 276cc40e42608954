#include "image/image_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "base/digest.h"
#include "base/file.h"
#include "base/json.h"
#include "test_util.h"

namespace berth::image {
namespace {

using testing::TarBuilder;
using testing::TempDir;

constexpr const char* kBusybox = "/bin/busybox";

struct Env {
  explicit Env(const std::string& dir) {
    auto d = store::Db::open(dir + "/berth.db");
    EXPECT_TRUE(d.ok());
    db = std::move(*d);
    auto s = ImageStore::open(dir + "/root", *db);
    EXPECT_TRUE(s.ok()) << s.error().message;
    images = std::move(*s);
  }
  std::unique_ptr<store::Db> db;
  std::unique_ptr<ImageStore> images;
};

class ImageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(make_dirs(tmp_.path() + "/a").ok());
    ASSERT_TRUE(make_dirs(tmp_.path() + "/b").ok());
    a_ = std::make_unique<Env>(tmp_.path() + "/a");
    b_ = std::make_unique<Env>(tmp_.path() + "/b");
  }
  void need_busybox() {
    if (::access(kBusybox, X_OK) != 0) GTEST_SKIP() << "no " << kBusybox;
  }
  // A file holding `data`, opened for reading.
  int fd_of(const std::string& data) {
    std::string p = tmp_.path() + "/in-" + std::to_string(n_++) + ".tar";
    EXPECT_TRUE(write_file(p, data).ok());
    return ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  }
  Result<std::vector<std::string>> load(ImageStore& s, const std::string& data,
                                        std::vector<std::string>* progress = nullptr) {
    int fd = fd_of(data);
    auto r = s.load(fd, [&](const std::string& l) {
      if (progress) progress->push_back(l);
    });
    ::close(fd);
    return r;
  }
  TempDir tmp_;
  std::unique_ptr<Env> a_, b_;
  int n_ = 0;
};

TEST_F(ImageStoreTest, BootstrapIsDeterministic) {
  need_busybox();
  auto one = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(one.ok()) << one.error().message;
  auto two = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(two.ok()) << two.error().message;
  EXPECT_EQ(one->id, two->id);
  EXPECT_TRUE(is_valid_digest(one->id));
  EXPECT_EQ(one->repo_tags, std::vector<std::string>{"busybox:latest"});
  EXPECT_EQ(one->config.cmd, std::vector<std::string>{"sh"});
  ASSERT_EQ(one->config.env.size(), 1u);
  EXPECT_EQ(one->os, "linux");
#if defined(__x86_64__)
  EXPECT_EQ(one->architecture, "amd64");
#endif
  EXPECT_EQ(one->diff_ids.size(), 1u);
  EXPECT_GT(one->size, 0);
  // A second store gets the same ID too.
  auto other = b_->images->bootstrap_busybox(kBusybox, "");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->id, one->id);

  auto got = a_->images->get("busybox");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->id, one->id);
  EXPECT_TRUE(a_->images->get(one->id).ok());
  EXPECT_TRUE(a_->images->get(one->id.substr(7, 12)).ok());
  EXPECT_TRUE(a_->images->get(one->id.substr(0, 10)).ok());
  EXPECT_TRUE(a_->images->get("docker.io/library/busybox:latest").ok());
  auto missing = a_->images->get("nothere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  auto all = a_->images->list();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(ImageStoreTest, LayerDirsHoldBusybox) {
  need_busybox();
  auto img = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(img.ok()) << img.error().message;
  auto dirs = a_->images->layer_dirs(*img);
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  ASSERT_EQ(dirs->size(), 1u);
  const std::string& d = (*dirs)[0];
  // A short link (l/<12 hex>) to layers/<chain-id>, so lowerdir= fits a page for 100+ layers.
  EXPECT_EQ(d, tmp_.path() + "/a/root/l/" + img->diff_ids[0].substr(7, 12));
  char target[256] = {0};
  ASSERT_GT(::readlink(d.c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), "../layers/" + img->diff_ids[0].substr(7));
  struct stat bb, sh;
  ASSERT_EQ(::stat((d + "/bin/busybox").c_str(), &bb), 0);
  EXPECT_EQ(bb.st_mode & 07777, 0755u);
  EXPECT_EQ(bb.st_uid, 0u);
  ASSERT_EQ(::stat((d + "/bin/sh").c_str(), &sh), 0);
  EXPECT_EQ(bb.st_ino, sh.st_ino);
  EXPECT_TRUE(path_exists(d + "/usr/bin/env"));
  EXPECT_NE(read_file(d + "/etc/passwd").value_or("").find("root:x:0:0:root:/root:/bin/sh"),
            std::string::npos);
  struct stat t;
  ASSERT_EQ(::stat((d + "/tmp").c_str(), &t), 0);
  EXPECT_EQ(t.st_mode & 07777, 01777u);
  auto again = a_->images->layer_dirs(*img);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *dirs);
}

TEST_F(ImageStoreTest, ConcurrentLayerDirs) {
  need_busybox();
  auto img = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(img.ok());
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] { ok[i] = a_->images->layer_dirs(*img).ok(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
  auto entries = list_dir(tmp_.path() + "/a/root/layers");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 1u);  // no temp dirs left behind
}

TEST_F(ImageStoreTest, SaveThenLoadKeepsIdAndTags) {
  need_busybox();
  auto img = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(img.ok());
  ASSERT_TRUE(a_->images->tag(img->id, "localhost:5000/tools/bb:v1").ok());
  std::string out = tmp_.path() + "/saved.tar";
  int fd = ::open(out.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  auto st = a_->images->save({"busybox", "localhost:5000/tools/bb:v1"}, fd);
  ::close(fd);
  ASSERT_TRUE(st.ok()) << st.error().message;

  std::vector<std::string> progress;
  auto lines = load(*b_->images, read_file(out).value_or(""), &progress);
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_EQ(*lines, (std::vector<std::string>{"Loaded image: busybox:latest",
                                              "Loaded image: localhost:5000/tools/bb:v1"}));
  EXPECT_EQ(progress.size(), 1u);
  auto loaded = b_->images->get("busybox:latest");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->id, img->id);
  EXPECT_EQ(loaded->repo_tags.size(), 2u);
  auto dirs = b_->images->layer_dirs(*loaded);
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  EXPECT_TRUE(path_exists((*dirs)[0] + "/bin/sh"));

  // Saved by ID: untagged.
  fd = ::open(out.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_TRUE(a_->images->save({img->id}, fd).ok());
  ::close(fd);
  TempDir c;
  Env env(c.path());
  lines = load(*env.images, read_file(out).value_or(""));
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_EQ(*lines, std::vector<std::string>{"Loaded image ID: " + img->id});
}

TEST_F(ImageStoreTest, TagMovesBetweenImages) {
  need_busybox();
  auto img = a_->images->bootstrap_busybox(kBusybox, "busybox:latest");
  ASSERT_TRUE(img.ok());
  std::string layer = TarBuilder().file("x", "y").finish();
  std::string config =
      R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")" +
      sha256_digest(layer) + R"("]}})";
  std::string manifest =
      R"([{"Config":"c.json","RepoTags":["busybox:latest"],"Layers":["l/layer.tar"]}])";
  auto lines = load(*a_->images, TarBuilder()
                                     .file("manifest.json", manifest)
                                     .file("c.json", config)
                                     .file("l/layer.tar", layer)
                                     .finish());
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  auto old = a_->images->get(img->id);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->repo_tags.empty());
  EXPECT_EQ(a_->images->get("busybox")->id, sha256_digest(config));
  ASSERT_TRUE(a_->images->tag(img->id, "busybox").ok());
  EXPECT_EQ(a_->images->get("busybox")->id, img->id);
  EXPECT_FALSE(a_->images->tag(img->id, "Bad:tag").ok());
}

TEST_F(ImageStoreTest, LoadsHandMadeDockerSave) {
  std::string layer1 = TarBuilder().dir("app/").file("app/hello.txt", "hello\n").finish();
  std::string layer2 = TarBuilder().file("app/.wh.hello.txt", "").file("b", "b").finish();
  std::string d1 = sha256_digest(layer1), d2 = sha256_digest(layer2);
  std::string config = R"({"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z",)"
                       R"("config":{"Cmd":["/app/run"],"Env":["A=b"],"WorkingDir":"/app",)"
                       R"("ExposedPorts":{"80/tcp":{}},"Labels":{"k":"v"}},)"
                       R"("rootfs":{"type":"layers","diff_ids":[")" +
                       d1 + "\",\"" + d2 + "\"]}}";
  std::string cid = sha256_hex(config);
  std::string manifest = "[{\"Config\":\"" + cid +
                         ".json\",\"RepoTags\":[\"example.com/test/app:v1\"],"
                         "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]},"
                         "{\"Config\":\"" +
                         cid +
                         ".json\",\"RepoTags\":null,"
                         "\"Layers\":[\"ccc/layer.tar\",\"bbb/layer.tar\"]}]";
  std::string archive = TarBuilder()
                            .dir("aaa/")
                            .file("aaa/layer.tar", layer1)
                            .dir("bbb/")
                            .file("bbb/layer.tar", layer2)
                            .dir("ccc/")
                            .symlink("ccc/layer.tar", "../aaa/layer.tar")
                            .file(cid + ".json", config)
                            .file("manifest.json", manifest)
                            .file("repositories", "{}")
                            .finish();
  std::vector<std::string> progress;
  auto lines = load(*a_->images, archive, &progress);
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_EQ(*lines, std::vector<std::string>{"Loaded image: example.com/test/app:v1"});
  EXPECT_EQ(progress.size(), 4u);
  auto img = a_->images->get("example.com/test/app:v1");
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->id, "sha256:" + cid);
  EXPECT_EQ(img->config.cmd, std::vector<std::string>{"/app/run"});
  EXPECT_EQ(img->config.working_dir, "/app");
  EXPECT_EQ(img->config.exposed_ports, std::vector<std::string>{"80/tcp"});
  EXPECT_EQ(img->config.labels["k"], "v");
  EXPECT_EQ(img->created, "2024-01-02T03:04:05Z");
  EXPECT_EQ(img->size, static_cast<int64_t>(layer1.size() + layer2.size()));
  auto dirs = a_->images->layer_dirs(*img);
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  ASSERT_EQ(dirs->size(), 2u);
  EXPECT_EQ(read_file((*dirs)[1] + "/app/hello.txt").value_or(""), "hello\n");
  EXPECT_TRUE(path_exists((*dirs)[0] + "/b"));

  // The loaded image saves and loads again (with a synthesised manifest).
  std::string out = tmp_.path() + "/resaved.tar";
  int fd = ::open(out.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_TRUE(a_->images->save({"example.com/test/app:v1"}, fd).ok());
  ::close(fd);
  lines = load(*b_->images, read_file(out).value_or(""));
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_EQ(b_->images->get("example.com/test/app:v1")->id, img->id);
}

TEST_F(ImageStoreTest, DigestMismatchRecordsNothing) {
  std::string layer = TarBuilder().file("x", "y").finish();
  std::string wrong = "sha256:" + std::string(64, '1');
  std::string config = R"({"os":"linux","rootfs":{"type":"layers","diff_ids":[")" + wrong + "\"]}}";
  std::string manifest = R"([{"Config":"c.json","RepoTags":["bad:1"],"Layers":["l/layer.tar"]}])";
  auto lines = load(*a_->images, TarBuilder()
                                     .file("manifest.json", manifest)
                                     .file("c.json", config)
                                     .file("l/layer.tar", layer)
                                     .finish());
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.error().message.find("uncompressed digest"), std::string::npos)
      << lines.error().message;
  EXPECT_TRUE(a_->images->list()->empty());
  EXPECT_FALSE(a_->images->get("bad:1").ok());

  // A blob whose name does not match its content.
  std::string good_config =
      R"({"os":"linux","rootfs":{"type":"layers","diff_ids":[")" + sha256_digest(layer) + "\"]}}";
  std::string bogus_hex = std::string(64, 'f');
  manifest = "[{\"Config\":\"blobs/sha256/" + sha256_hex(good_config) +
             "\",\"RepoTags\":[\"bad:2\"],\"Layers\":[\"blobs/sha256/" + bogus_hex + "\"]}]";
  lines = load(*a_->images, TarBuilder()
                                .file("manifest.json", manifest)
                                .file("blobs/sha256/" + sha256_hex(good_config), good_config)
                                .file("blobs/sha256/" + bogus_hex, layer)
                                .finish());
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.error().code, Code::kDataLoss);
  EXPECT_TRUE(a_->images->list()->empty());
  auto blobs = list_dir(tmp_.path() + "/a/root/content/blobs/sha256");
  ASSERT_TRUE(blobs.ok());
  EXPECT_TRUE(blobs->empty());
  auto staging = list_dir(tmp_.path() + "/a/root/tmp");
  ASSERT_TRUE(staging.ok());
  EXPECT_TRUE(staging->empty());

  // Truncated archive.
  std::string full =
      TarBuilder().file("manifest.json", manifest).file("x", std::string(10000, 'x')).finish();
  lines = load(*a_->images, full.substr(0, 3000));
  ASSERT_FALSE(lines.ok());
  EXPECT_TRUE(a_->images->list()->empty());

  lines = load(*a_->images, TarBuilder().file("hello", "x").finish());
  ASSERT_FALSE(lines.ok());
  EXPECT_NE(lines.error().message.find("neither manifest.json nor index.json"), std::string::npos);
}

TEST_F(ImageStoreTest, LoadsPureOciLayout) {
  std::string layer = TarBuilder().file("f", "oci").finish();
  std::string gz = TarBuilder(true).file("f", "oci").finish();
  std::string config =
      R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")" +
      sha256_digest(layer) + "\"]}}";
  Json m = {{"schemaVersion", 2},
            {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"config",
             {{"mediaType", "application/vnd.oci.image.config.v1+json"},
              {"digest", sha256_digest(config)},
              {"size", config.size()}}},
            {"layers",
             {{{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
               {"digest", sha256_digest(gz)},
               {"size", gz.size()}}}}};
  std::string mtext = dump_json(m);
  Json index = {{"schemaVersion", 2},
                {"manifests",
                 {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                   {"digest", sha256_digest(mtext)},
                   {"size", mtext.size()},
                   {"annotations", {{"org.opencontainers.image.ref.name", "oci/test:1"}}}}}}};
  auto lines = load(*a_->images, TarBuilder()
                                     .file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})")
                                     .file("index.json", dump_json(index))
                                     .file("blobs/sha256/" + sha256_hex(mtext), mtext)
                                     .file("blobs/sha256/" + sha256_hex(config), config)
                                     .file("blobs/sha256/" + sha256_hex(gz), gz)
                                     .finish());
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_EQ(*lines, std::vector<std::string>{"Loaded image: oci/test:1"});
  auto img = a_->images->get("oci/test:1");
  ASSERT_TRUE(img.ok());
  auto dirs = a_->images->layer_dirs(*img);
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  EXPECT_EQ(read_file((*dirs)[0] + "/f").value_or(""), "oci");
}

}  // namespace
}  // namespace berth::image
