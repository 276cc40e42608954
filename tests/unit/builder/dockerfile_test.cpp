// The Dockerfile parser, variable substitution and metadata instructions.
#include "builder/dockerfile.h"

#include <gtest/gtest.h>

#include "builder/config_ops.h"
#include "builder/expand.h"

namespace berth::builder {
namespace {

TEST(Dockerfile, DirectivesContinuationsCommentsAndStages) {
  auto df = parse_dockerfile(
      "# escape=`\nARG V=1\nFROM busybox AS b\nRUN echo a `\n# inside\n  b\nFROM scratch\nCOPY "
      "--from=b /x /y\n");
  ASSERT_TRUE(df.ok()) << df.error().message;
  EXPECT_EQ(df->escape, '`');
  ASSERT_EQ(df->meta_args.size(), 1u);
  ASSERT_EQ(df->stages.size(), 2u);
  EXPECT_EQ(df->stages[0].name, "b");
  EXPECT_EQ(df->stages[0].instructions[0].rest, "echo a   b");
  EXPECT_EQ(df->stages[1].instructions[0].flags[0], "--from=b");
}

TEST(Dockerfile, ErrorsNameFileLineColumn) {
  auto df = parse_dockerfile("FROM busybox\n\nBOGUS x\n");
  ASSERT_FALSE(df.ok());
  EXPECT_EQ(df.error().message, "Dockerfile:3:1: unknown instruction: BOGUS");
}

TEST(Dockerfile, Heredoc) {
  auto df = parse_dockerfile("FROM busybox\nRUN <<EOF\necho hi\nEOF\nCMD x\n");
  ASSERT_TRUE(df.ok());
  auto& run = df->stages[0].instructions[0];
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].content, "echo hi\n");
  EXPECT_EQ(df->stages[0].instructions[1].cmd, "cmd");
  auto quoted = parse_dockerfile("FROM busybox\nRUN echo \"a<<b\"\nCMD x\n");
  ASSERT_TRUE(quoted.ok());
  EXPECT_TRUE(quoted->stages[0].instructions[0].heredocs.empty());
}

TEST(Expand, Modifiers) {
  Vars v = {{"A", "x"}, {"E", ""}};
  EXPECT_EQ(*expand_word("${A:-d}", v), "x");
  EXPECT_EQ(*expand_word("${E:-d}", v), "d");
  EXPECT_EQ(*expand_word("${E-d}", v), "");
  EXPECT_EQ(*expand_word("${A:+set}", v), "set");
  EXPECT_EQ(*expand_word("${U:+set}", v), "");
  EXPECT_EQ(*expand_word("'$A' \"$A\" \\$A", v), "$A x $A");
  EXPECT_FALSE(expand_word("${U:?missing}", v).ok());
  auto words = expand_words("a \"b c\" $A", v);
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, (std::vector<std::string>{"a", "b c", "x"}));
}

TEST(ConfigOps, Changes) {
  auto c = apply_changes({}, {"ENV A=b C=d", "EXPOSE 80 90/udp", "CMD [\"x\"]", "WORKDIR /a",
                              "WORKDIR b", "LABEL k=v"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->env, (model::List<std::string>{"A=b", "C=d"}));
  EXPECT_TRUE(c->exposed_ports.count("90/udp"));
  EXPECT_EQ(c->working_dir, "/a/b");
  EXPECT_EQ(c->cmd, (model::List<std::string>{"x"}));
  EXPECT_EQ(c->labels.at("k"), "v");
}

TEST(ConfigOps, EntrypointResetsCmdAndHealthcheck) {
  ConfigState st;
  st.config.cmd = {"sh"};
  for (const char* line :
       {"ENTRYPOINT [\"top\"]", "HEALTHCHECK --interval=5s --retries=2 CMD true"}) {
    auto ins = parse_instruction(line);
    ASSERT_TRUE(ins.ok());
    ASSERT_TRUE(apply_config_instruction(*ins, st, {}, '\\').ok());
  }
  EXPECT_TRUE(st.config.cmd.is_null());
  EXPECT_EQ(st.config.entrypoint, (model::List<std::string>{"top"}));
  ASSERT_TRUE(st.config.healthcheck.has_value());
  EXPECT_EQ(st.config.healthcheck->test, (model::List<std::string>{"CMD-SHELL", "true"}));
  EXPECT_EQ(st.config.healthcheck->interval, 5000000000);
  EXPECT_EQ(st.config.healthcheck->retries, 2);
}

}  // namespace
}  // namespace berth::builder
