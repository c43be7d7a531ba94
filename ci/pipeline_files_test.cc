// Checks the nightly pipeline's files without running them: the GitHub
// Actions workflow and the Kubernetes manifest parse as YAML and have the
// shape the pipeline needs; every command they run exists (repository
// scripts present and executable, the options they pass known to the script,
// tools on PATH, CMake presets defined); every ordeal subcommand and option
// ci/nightly.sh uses is accepted by the built ordeal.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace {

const std::string kSource = ORDEAL_SOURCE_DIR;

std::string read_text(const std::string& path) {
  std::ifstream in(kSource + "/" + path);
  EXPECT_TRUE(in) << path << ": cannot read";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool executable(const std::string& path) {
  struct stat info {};
  return stat((kSource + "/" + path).c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         (info.st_mode & S_IXUSR) != 0;
}

// Standard output of a command (bounded: help texts are short).
std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char block[4096];
  size_t n = 0;
  while (out.size() < (1u << 20) && (n = fread(block, 1, sizeof block, pipe)) > 0)
    out.append(block, n);
  pclose(pipe);
  return out;
}

std::vector<std::string> matches(const std::string& text, const std::string& pattern,
                                 int group = 0) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    found.push_back((*it)[group]);
  }
  return found;
}

// Shell words that run no program of their own, or are not a command name.
bool needs_no_program(const std::string& word) {
  static const std::set<std::string> builtins = {"[",     "echo", "exit", "exec", "export",
                                                 "cd",    "if",   "then", "fi",   "true",
                                                 "false", "test", "{",    "}"};
  return word.empty() || builtins.count(word) > 0 ||
         word.find_first_of("$\"'=>(") != std::string::npos;
}

// Checks one shell command line (a workflow step's `run`, the Job's args).
void check_command_line(const std::string& where, const std::string& line) {
  // Every repository script it names exists, is executable and knows the options passed to it.
  const std::regex script_call(R"((ci/[A-Za-z0-9_./-]+\.sh)([^;&|\n]*))");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), script_call);
       it != std::sregex_iterator(); ++it) {
    const std::string script = (*it)[1];
    EXPECT_TRUE(executable(script)) << where << ": " << script << " is missing or not executable";
    const std::string text = read_text(script);
    for (const std::string& option : matches((*it)[2], R"(--[a-z][a-z-]*)")) {
      EXPECT_NE(text.find(option + ")"), std::string::npos)
          << where << ": " << script << " has no " << option;
    }
  }
  // Every preset it builds with is defined.
  const auto presets = nlohmann::json::parse(read_text("CMakePresets.json"));
  for (const std::string& preset : matches(line, R"(--preset ([a-z-]+))", 1)) {
    bool found = false;
    for (const auto& p : presets["configurePresets"]) found = found || p["name"] == preset;
    EXPECT_TRUE(found) << where << ": no CMake preset " << preset;
  }
  // Every program a simple command starts with is on PATH (or is a builtin).
  for (const std::string& command : matches(line, R"((^|&&|\|\||;|\n|\|)\s*([^\s;&|]+))", 2)) {
    if (needs_no_program(command) || command.rfind("ci/", 0) == 0) continue;
    EXPECT_EQ(output_of("command -v " + command).empty(), false)
        << where << ": no program " << command;
  }
}

TEST(PipelineFiles, WorkflowParsesAndHasScheduleDispatchMatrixAndReports) {
  const YAML::Node workflow = YAML::LoadFile(kSource + "/.github/workflows/nightly.yml");
  const YAML::Node on = workflow["on"];
  ASSERT_TRUE(on["schedule"].IsSequence());
  const std::string cron = on["schedule"][0]["cron"].as<std::string>();
  EXPECT_EQ(matches(cron, R"(\S+)").size(), 5u) << "cron: " << cron;
  EXPECT_TRUE(on["workflow_dispatch"]["inputs"]["shards"].IsMap());
  EXPECT_TRUE(on["workflow_dispatch"]["inputs"]["cases"].IsMap());
  const YAML::Node jobs = workflow["jobs"];
  ASSERT_TRUE(jobs["sweep"]["strategy"]["matrix"]["shard"].IsDefined());
  EXPECT_EQ(jobs["merge"]["needs"].as<std::string>(), "sweep");
  std::set<std::string> actions;
  for (const auto& job : jobs) {
    for (const auto& step : job.second["steps"]) {
      if (step["uses"]) {
        const std::string uses = step["uses"].as<std::string>();
        EXPECT_TRUE(std::regex_match(uses, std::regex(R"([\w-]+/[\w/-]+@v\d+(\.\d+)*)")))
            << uses << ": not pinned to a version";
        actions.insert(uses.substr(0, uses.find('@')));
      }
      if (step["run"])
        check_command_line("nightly.yml " + job.first.as<std::string>(),
                           step["run"].as<std::string>());
    }
  }
  for (const char* needed :
       {"actions/checkout", "mikepenz/action-junit-report", "actions/upload-artifact",
        "actions/cache/restore", "actions/cache/save"}) {
    EXPECT_EQ(actions.count(needed), 1u) << "no step uses " << needed;
  }
}

YAML::Node document_of_kind(const std::vector<YAML::Node>& documents, const std::string& kind) {
  for (const YAML::Node& d : documents) {
    if (d["kind"] && d["kind"].as<std::string>() == kind) return d;
  }
  ADD_FAILURE() << "no " << kind << " in the manifest";
  return YAML::Node();
}

std::string env_value(const YAML::Node& container, const std::string& name) {
  for (const auto& e : container["env"]) {
    if (e["name"].as<std::string>() == name) return e["value"].as<std::string>();
  }
  return "";
}

TEST(PipelineFiles, ManifestIsAnIndexedJobOfShardsWithLimitsAndAVolume) {
  const std::vector<YAML::Node> documents =
      YAML::LoadAllFromFile(kSource + "/ci/k8s/nightly-job.yaml");
  const YAML::Node job = document_of_kind(documents, "Job");
  const YAML::Node claim = document_of_kind(documents, "PersistentVolumeClaim");
  ASSERT_TRUE(job && claim);
  EXPECT_EQ(job["apiVersion"].as<std::string>(), "batch/v1");
  const YAML::Node spec = job["spec"];
  EXPECT_EQ(spec["completionMode"].as<std::string>(), "Indexed");
  EXPECT_GT(spec["backoffLimit"].as<int>(), 0);
  EXPECT_GT(spec["activeDeadlineSeconds"].as<int>(), 0);
  const YAML::Node pod = spec["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"].as<std::string>(), "Never");
  const YAML::Node container = pod["containers"][0];
  const std::string shards = env_value(container, "NIGHTLY_SHARDS");
  EXPECT_EQ(spec["completions"].as<std::string>(), shards);
  EXPECT_EQ(spec["parallelism"].as<std::string>(), shards);
  EXPECT_TRUE(container["resources"]["limits"]["cpu"] &&
              container["resources"]["limits"]["memory"]);
  EXPECT_EQ(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>(),
            claim["metadata"]["name"].as<std::string>());
  EXPECT_EQ(container["volumeMounts"][0]["name"].as<std::string>(),
            pod["volumes"][0]["name"].as<std::string>());
  std::string line;
  for (const auto& word : container["command"]) line += word.as<std::string>() + " ";
  for (const auto& word : container["args"]) line += word.as<std::string>() + " ";
  EXPECT_NE(line.find("JOB_COMPLETION_INDEX"), std::string::npos)
      << "the shard is not the completion index";
  check_command_line("nightly-job.yaml", line);
}

TEST(PipelineFiles, ImageInstallsAndBuildsWithTheProjectsScripts) {
  const std::string dockerfile = read_text("ci/k8s/Dockerfile");
  EXPECT_NE(dockerfile.find("FROM debian:12"), std::string::npos);
  EXPECT_TRUE(executable("ci/install-deps.sh"));
  EXPECT_NE(dockerfile.find("bash ci/install-deps.sh"), std::string::npos);
  EXPECT_NE(dockerfile.find("cmake --preset default"), std::string::npos);
}

// Every NIGHTLY_* setting the workflow or the manifest passes is one the script reads.
TEST(PipelineFiles, SettingsPassedAreReadByTheScript) {
  const std::string script = read_text("ci/nightly.sh");
  for (const char* file : {".github/workflows/nightly.yml", "ci/k8s/nightly-job.yaml"}) {
    for (const std::string& name : matches(read_text(file), R"(NIGHTLY_[A-Z_]+)")) {
      EXPECT_NE(script.find("${" + name), std::string::npos)
          << file << ": ci/nightly.sh does not read " << name;
    }
  }
}

// The ordeal command lines of ci/nightly.sh (continuation lines joined):
// each subcommand exists and each option appears in its --help.
TEST(PipelineFiles, OrdealOptionsTheNightUsesAreAccepted) {
  const std::string script =
      std::regex_replace(read_text("ci/nightly.sh"), std::regex(R"(\\\n)"), " ");
  const auto calls = matches(script, R"(ordeal_bounded (run|replay)([^\n]*))");
  ASSERT_EQ(calls.size(), 2u) << "expected one run and one replay in ci/nightly.sh";
  for (const std::string& call : calls) {
    const std::string subcommand = matches(call, R"(ordeal_bounded (\w+))", 1).at(0);
    const std::string help = output_of(std::string(ORDEAL_BINARY) + " " + subcommand + " --help");
    ASSERT_NE(help.find("Usage"), std::string::npos) << "ordeal " << subcommand << " --help:\n"
                                                     << help;
    for (const std::string& option : matches(call, R"(--[a-z][a-z-]*)")) {
      EXPECT_NE(help.find(option), std::string::npos)
          << "ordeal " << subcommand << " has no " << option;
    }
  }
}

TEST(PipelineFiles, ShippedScenariosExist) {
  const std::string listing = output_of("ls " + kSource + "/examples/scenarios/*.toml");
  EXPECT_GE(matches(listing, R"(\.toml)").size(), 2u);
  for (const char* file :
       {".github/workflows/nightly.yml", "ci/k8s/nightly-job.yaml", "ci/nightly.sh"}) {
    for (const std::string& path :
         matches(read_text(file), R"(examples/scenarios/[\w.-]+\.toml)")) {
      EXPECT_EQ(output_of("test -f " + kSource + "/" + path + " || echo missing"), "")
          << file << ": " << path;
    }
  }
}

}  // namespace
