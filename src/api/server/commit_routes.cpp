// POST /commit: a container's changes as a new image (docker commit).
#include "api/server/routes.h"
#include "model/container_json.h"

namespace berth::api::server {

void add_commit_routes(Router& router, engine::Engine& engine) {
  engine::Engine* e = &engine;
  router.add("POST", "/commit",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               engine::CommitRequest req;
               req.container = r.query_value("container");
               req.repo = r.query_value("repo");
               req.tag = r.query_value("tag");
               req.comment = r.query_value("comment");
               req.author = r.query_value("author");
               req.pause = r.query_bool("pause", true);
               req.changes = r.query_values("changes");
               BERTH_TRY(check_for_json(r));  // as dockerd's postCommit
               (void)r.body.drain();  // the body (a Config to merge) is not used by the CLIs
               if (req.container.empty())
                 return make_error(Code::kInvalidArgument, "No container specified");
               auto id = e->commit_container(req);
               if (!id) return std::move(id).error();
               model::IDResponse reply;
               reply.id = *id;
               return send_json(w, 201, model::dump(reply));
             });
}

}  // namespace berth::api::server
