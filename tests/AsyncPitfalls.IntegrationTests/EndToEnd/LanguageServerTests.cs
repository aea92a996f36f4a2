using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The editor path for diagnostics: a real C# language server (csharp-ls 0.28.0, a local dotnet tool of this
/// repository) is driven over stdio as an editor drives it, on the restored consumer project. The test checks that
/// the ASYNC diagnostics arrive with the right ranges and with the severities that .editorconfig sets.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public class LanguageServerTests
{
    private readonly PackageFixture _fixture;

    public LanguageServerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Diagnostics_ArriveWithRangesAndEditorConfigSeverities()
    {
        var restore = await DotnetCli.RunAsync(TestDefaults.RepositoryRoot, null, "tool", "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());

        // ASYNC030 is raised to an error here; the others keep their default (warning, or information for a suggestion).
        var project = await _fixture.CreateConsumerAsync("lsp", new Dictionary<string, string>
        {
            [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.ASYNC030.severity = error\n",
        });
        var programPath = Path.Combine(project, "Program.cs");
        var lines = await File.ReadAllLinesAsync(programPath);

        await using var server = await LanguageServer.StartAsync(project);
        var uri = new Uri(programPath).AbsoluteUri;
        await server.OpenAsync(uri, await File.ReadAllTextAsync(programPath));
        var diagnostics = await server.WaitForDiagnosticsAsync(uri, SampleExpectations.Pitfalls.Select(e => e.Id).ToHashSet(), TimeSpan.FromMinutes(3));

        foreach (var (id, fragment) in SampleExpectations.Pitfalls)
        {
            var line = Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal));
            var found = diagnostics.Where(d => d.Code == id).ToList();
            Assert.True(found.Count > 0, $"{id} did not arrive from the language server; got: {string.Join(", ", diagnostics.Select(d => d.Code))}");
            Assert.Contains(found, d => d.StartLine == line);
            var expectedSeverity = id == "ASYNC030" ? 1 : SampleExpectations.DefaultSeverity(id) == DiagnosticSeverity.Warning ? 2 : 3;
            Assert.All(found, d => Assert.Equal(expectedSeverity, d.Severity));
            Assert.All(found, d => Assert.True(d.EndLine > d.StartLine || d.EndCharacter > d.StartCharacter, $"{id} has an empty range"));
        }
    }

    private sealed record LspDiagnostic(string Code, int Severity, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

    /// <summary>A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin and stdout.</summary>
    private sealed class LanguageServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Stream _input;
        private readonly Stream _output;
        private readonly SemaphoreSlim _writeGate = new(1);
        private readonly Dictionary<string, List<LspDiagnostic>> _published = new();
        private readonly Dictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reader;
        private readonly StringBuilder _log = new();
        private int _nextId;

        private LanguageServer(Process process)
        {
            _process = process;
            _input = process.StandardInput.BaseStream;
            _output = process.StandardOutput.BaseStream;
            _reader = Task.Run(ReadLoopAsync);
            _ = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    lock (_log)
                    {
                        _log.AppendLine(line);
                    }
                }
            });
        }

        public static async Task<LanguageServer> StartAsync(string rootDirectory)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = rootDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "tool", "run", "--allow-roll-forward", "csharp-ls", "--", "--loglevel", "warning" })
            {
                start.ArgumentList.Add(argument);
            }

            // dotnet tool run finds the manifest by walking up from the working directory; point it at the repository's.
            start.WorkingDirectory = TestDefaults.RepositoryRoot;
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment.Remove("MSBuildExtensionsPath");
            start.Environment.Remove("MSBuildSDKsPath");
            start.Environment.Remove("MSBUILD_EXE_PATH");
            var server = new LanguageServer(Process.Start(start) ?? throw new InvalidOperationException("csharp-ls did not start"));
            var rootUri = new Uri(rootDirectory + Path.DirectorySeparatorChar).AbsoluteUri;
            await server.RequestAsync("initialize", new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = rootUri,
                ["rootPath"] = rootDirectory,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "consumer" }),
                ["capabilities"] = new JsonObject
                {
                    ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                    ["textDocument"] = new JsonObject
                    {
                        ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = false },
                        ["synchronization"] = new JsonObject { ["didSave"] = true },
                    },
                },
            }, TimeSpan.FromMinutes(2));
            await server.NotifyAsync("initialized", new JsonObject());
            return server;
        }

        public Task OpenAsync(string uri, string text)
            => NotifyAsync("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
            });

        /// <summary>Waits until every expected code has arrived, by push (publishDiagnostics) or by pull (textDocument/diagnostic).</summary>
        public async Task<List<LspDiagnostic>> WaitForDiagnosticsAsync(string uri, HashSet<string> codes, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            var latest = new List<LspDiagnostic>();
            while (DateTime.UtcNow < deadline)
            {
                lock (_published)
                {
                    if (_published.TryGetValue(uri, out var pushed))
                    {
                        latest = pushed.ToList();
                    }
                }

                if (!codes.All(c => latest.Any(d => d.Code == c)))
                {
                    try
                    {
                        var pulled = await RequestAsync("textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } }, TimeSpan.FromSeconds(60));
                        if (pulled?["items"] is JsonArray items && items.Count > 0)
                        {
                            latest = Parse(items);
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        // The server may not support pull diagnostics; pushed ones are enough then.
                    }
                }

                if (codes.All(c => latest.Any(d => d.Code == c)))
                {
                    return latest;
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            string log;
            lock (_log)
            {
                log = _log.ToString();
            }

            throw new TimeoutException($"The expected diagnostics did not arrive in {timeout}. Got: {string.Join(", ", latest.Select(d => d.Code))}\n{log}");
        }

        private static List<LspDiagnostic> Parse(JsonArray items)
            => items.OfType<JsonObject>().Select(d => new LspDiagnostic(
                d["code"]?.ToString() ?? "",
                d["severity"]?.GetValue<int>() ?? 0,
                d["range"]!["start"]!["line"]!.GetValue<int>(),
                d["range"]!["start"]!["character"]!.GetValue<int>(),
                d["range"]!["end"]!["line"]!.GetValue<int>(),
                d["range"]!["end"]!["character"]!.GetValue<int>())).ToList();

        private async Task<JsonNode?> RequestAsync(string method, JsonNode parameters, TimeSpan timeout)
        {
            var id = Interlocked.Increment(ref _nextId);
            var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending)
            {
                _pending[id] = completion;
            }

            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            return await completion.Task.WaitAsync(timeout);
        }

        private Task NotifyAsync(string method, JsonNode parameters)
            => SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        private async Task SendAsync(JsonObject message)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
            await _writeGate.WaitAsync();
            try
            {
                await _input.WriteAsync(header);
                await _input.WriteAsync(body);
                await _input.FlushAsync();
            }
            finally
            {
                _writeGate.Release();
            }
        }

        private async Task ReadLoopAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested && await ReadMessageAsync() is { } message)
                {
                    await HandleAsync(message);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The server went away.
            }
        }

        private async Task HandleAsync(JsonObject message)
        {
            var method = message["method"]?.GetValue<string>();
            if (method is null && message["id"] is { } responseId)
            {
                TaskCompletionSource<JsonNode?>? completion;
                lock (_pending)
                {
                    _pending.Remove(responseId.GetValue<int>(), out completion);
                }

                if (message["error"] is { } error)
                {
                    completion?.TrySetException(new InvalidOperationException(error.ToJsonString()));
                }
                else
                {
                    completion?.TrySetResult(message["result"]?.DeepClone());
                }

                return;
            }

            if (method == "textDocument/publishDiagnostics" && message["params"] is JsonObject publish)
            {
                lock (_published)
                {
                    _published[publish["uri"]!.GetValue<string>()] = Parse((JsonArray)publish["diagnostics"]!);
                }

                return;
            }

            if (message["id"] is { } requestId)
            {
                // Server-to-client requests: answer workspace/configuration with analyzers on, everything else with null.
                JsonNode? result = null;
                if (method == "workspace/configuration")
                {
                    var count = (message["params"]?["items"] as JsonArray)?.Count ?? 1;
                    var answers = new JsonArray();
                    for (var i = 0; i < count; i++)
                    {
                        answers.Add(new JsonObject { ["analyzersEnabled"] = true });
                    }

                    result = answers;
                }

                await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = result });
            }
        }

        private async Task<JsonObject?> ReadMessageAsync()
        {
            var length = -1;
            while (true)
            {
                var line = await ReadHeaderLineAsync();
                if (line is null)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    break;
                }

                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            var buffer = new byte[length];
            await _output.ReadExactlyAsync(buffer, _stop.Token);
            return JsonNode.Parse(buffer) as JsonObject;
        }

        private async Task<string?> ReadHeaderLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await _output.ReadAsync(one, _stop.Token) == 0)
                {
                    return null;
                }

                if (one[0] == '\n')
                {
                    return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
                }

                bytes.Add(one[0]);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await RequestAsync("shutdown", new JsonObject(), TimeSpan.FromSeconds(10));
                await NotifyAsync("exit", new JsonObject());
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException)
            {
                // A server that does not shut down cleanly is killed below.
            }
            finally
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                await _stop.CancelAsync();
                try
                {
                    await _reader.WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (TimeoutException)
                {
                }

                _process.Dispose();
                _stop.Dispose();
            }
        }
    }
}
