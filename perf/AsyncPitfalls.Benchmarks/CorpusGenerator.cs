using System;
using System.Collections.Generic;
using System.Text;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// A deterministic, seeded generator of realistic async service code: async methods with tokens, loops with awaits,
/// try/catch in loops, lambdas, locals, fields and LINQ, with an occasional pitfall so the rules do real work.
/// </summary>
internal static class CorpusGenerator
{
    public const string Support = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Corpus;

        public sealed record Order(int Id, int CustomerId, int Amount);
        public sealed record Message(int Id, string Body);
        public sealed class ChangedEventArgs : EventArgs { public int Value { get; init; } }
        public sealed class EventSource { public event EventHandler<ChangedEventArgs>? Changed; public void Raise(int v) => Changed?.Invoke(this, new ChangedEventArgs { Value = v }); }
        public interface IRepository
        {
            Task<IReadOnlyList<Order>> GetOrdersAsync(int customerId, CancellationToken cancellationToken);
            Task SaveAsync(Order order, CancellationToken cancellationToken);
            Task<int> CountAsync(CancellationToken cancellationToken);
        }
        public interface ILog { void Log(string message); }
        """;

    /// <summary>One file: a service class of about 250 lines.</summary>
    public static string File(int seed, int index, int methodCount = 11, bool pitfalls = true)
    {
        var random = new Random(unchecked(seed * 7919 + index));
        var b = new StringBuilder();
        b.AppendLine("using System;");
        b.AppendLine("using System.Collections.Generic;");
        b.AppendLine("using System.IO;");
        b.AppendLine("using System.Linq;");
        b.AppendLine("using System.Threading;");
        b.AppendLine("using System.Threading.Channels;");
        b.AppendLine("using System.Threading.Tasks;");
        b.AppendLine();
        b.AppendLine("namespace Corpus;");
        b.AppendLine();
        b.AppendLine($"public sealed class Service{index}");
        b.AppendLine("{");
        b.AppendLine("    private readonly IRepository _repository;");
        b.AppendLine("    private readonly ILog _logger;");
        b.AppendLine("    private readonly SemaphoreSlim _gate = new(1, 1);");
        b.AppendLine("    private readonly CancellationTokenSource _shutdown = new();");
        b.AppendLine("    private Timer? _timer;");
        b.AppendLine("    private int _processed;");
        b.AppendLine();
        b.AppendLine($"    public Service{index}(IRepository repository, ILog logger)");
        b.AppendLine("    {");
        b.AppendLine("        _repository = repository;");
        b.AppendLine("        _logger = logger;");
        b.AppendLine("    }");
        b.AppendLine();
        b.AppendLine("    public int Processed => _processed;");
        var methods = 0;
        while (methods < methodCount)
        {
            var n = methods++;
            var k = random.Next(2, 90);
            b.AppendLine();
            var shape = random.Next(9);
            if (!pitfalls && shape == 8)
            {
                shape = 7;
            }

            switch (shape)
            {
                case 0:
                    b.AppendLine($$"""
                            public async Task<int> LoadOrders{{n}}Async(int customerId, CancellationToken cancellationToken)
                            {
                                var total = 0;
                                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                                try
                                {
                                    var orders = await _repository.GetOrdersAsync(customerId, cancellationToken).ConfigureAwait(false);
                                    foreach (var order in orders.Where(o => o.Amount > {{k}}).OrderBy(o => o.Id))
                                    {
                                        total += order.Amount;
                                        if (total > {{k * 100}})
                                        {
                                            break;
                                        }
                                    }
                                }
                                finally
                                {
                                    _gate.Release();
                                }

                                return total;
                            }
                        """);
                    break;
                case 1:
                    b.AppendLine($$"""
                            public async Task RunPump{{n}}Async(ChannelReader<Message> reader, CancellationToken stoppingToken)
                            {
                                while (!stoppingToken.IsCancellationRequested)
                                {
                                    try
                                    {
                                        var message = await reader.ReadAsync(stoppingToken);
                                        await HandleAsync(message, stoppingToken);
                                        Interlocked.Increment(ref _processed);
                                    }
                                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                                    {
                                        break;
                                    }
                                    catch (Exception ex)
                                    {
                                        _logger.Log(ex.Message);
                                    }
                                }

                                _logger.Log("pump {{n}} stopped");
                            }
                        """);
                    break;
                case 2:
                    b.AppendLine($$"""
                            public IReadOnlyList<string> Summarize{{n}}(IEnumerable<Order> orders)
                            {
                                var grouped = orders
                                    .GroupBy(o => o.CustomerId)
                                    .Select(g => new { g.Key, Sum = g.Sum(x => x.Amount), Count = g.Count() })
                                    .Where(x => x.Count > {{k % 5}})
                                    .ToList();
                                var names = new List<string>();
                                foreach (var item in grouped)
                                {
                                    var label = $"{item.Key}:{item.Sum}";
                                    names.Add(label);
                                }

                                return names;
                            }
                        """);
                    break;
                case 3:
                    b.AppendLine($$"""
                            public async Task<int[]> FanOut{{n}}Async(IEnumerable<int> ids, CancellationToken token)
                            {
                                var tasks = new List<Task<int>>();
                                foreach (var id in ids)
                                {
                                    tasks.Add(ComputeAsync(id + {{k}}, token));
                                }

                                var results = await Task.WhenAll(tasks);
                                _logger.Log($"fan-out {{n}}: {results.Length}");
                                return results;
                            }
                        """);
                    break;
                case 4:
                    b.AppendLine($$"""
                            public async Task<bool> Retry{{n}}Async(Func<CancellationToken, Task> action, CancellationToken token)
                            {
                                for (var attempt = 0; attempt < {{k % 7 + 2}}; attempt++)
                                {
                                    try
                                    {
                                        await action(token);
                                        return true;
                                    }
                                    catch (TimeoutException ex)
                                    {
                                        _logger.Log(ex.Message);
                                        await Task.Delay(100 * attempt, token);
                                    }
                                }

                                return false;
                            }
                        """);
                    break;
                case 5:
                    b.AppendLine($$"""
                            public void Subscribe{{n}}(EventSource source)
                            {
                                source.Changed += async (sender, args) =>
                                {
                                    try
                                    {
                                        await HandleChangeAsync(args.Value, _shutdown.Token);
                                    }
                                    catch (Exception ex)
                                    {
                                        _logger.Log(ex.Message);
                                    }
                                };
                                _timer = new Timer(_ =>
                                {
                                    try
                                    {
                                        Tick({{k}});
                                    }
                                    catch (Exception ex)
                                    {
                                        _logger.Log(ex.Message);
                                    }
                                }, null, 0, 1000);
                            }
                        """);
                    break;
                case 6:
                    b.AppendLine($$"""
                            public async Task<string> ReadConfig{{n}}Async(string path, CancellationToken token)
                            {
                                using var reader = new StreamReader(path);
                                var lines = new List<string>();
                                string? line;
                                while ((line = await reader.ReadLineAsync(token)) is not null)
                                {
                                    if (line.StartsWith('#'))
                                    {
                                        continue;
                                    }

                                    lines.Add(line.Trim());
                                }

                                var result = string.Join(";", lines.Take({{k}}));
                                return result;
                            }
                        """);
                    break;
                case 7:
                    b.AppendLine($$"""
                            public async Task Process{{n}}Async(IEnumerable<Order> orders, CancellationToken token)
                            {
                                var saved = 0;
                                foreach (var order in orders)
                                {
                                    if (order.Amount < {{k}})
                                    {
                                        continue;
                                    }

                                    await _repository.SaveAsync(order with { Amount = order.Amount + 1 }, token);
                                    saved++;
                                }

                                var count = await _repository.CountAsync(token);
                                _logger.Log($"saved {saved} of {count}");
                            }
                        """);
                    break;
                default:
                    // The occasional pitfall, so the rules report something.
                    b.AppendLine(random.Next(5) switch
                    {
                        0 => $$"""
                                public void Start{{n}}()
                                {
                                    Task.Run(() => Tick({{k}}));
                                }
                            """,
                        1 => $$"""
                                public async Task<int> Count{{n}}Async()
                                {
                                    var pending = _repository.CountAsync(CancellationToken.None);
                                    await Task.Yield();
                                    return _repository.CountAsync(CancellationToken.None).Result;
                                }
                            """,
                        2 => $$"""
                                public async Task<int> Total{{n}}Async(int processed)
                                {
                                    var procesed = await ComputeAsync({{k}}, CancellationToken.None);
                                    return processed;
                                }
                            """,
                        3 => $$"""
                                public async void Refresh{{n}}()
                                {
                                    await Task.Delay({{k}});
                                    Tick({{k}});
                                }
                            """,
                        _ => $$"""
                                public async Task Spin{{n}}Async(CancellationToken token)
                                {
                                    while (!token.IsCancellationRequested)
                                    {
                                        Tick({{k}});
                                        await Task.Delay(100, token);
                                    }

                                    _logger.Log("spinner {{n}} stopped");
                                }
                            """,
                    });
                    break;
            }
        }

        b.AppendLine();
        b.AppendLine("    private Task HandleAsync(Message message, CancellationToken token) => _repository.SaveAsync(new Order(message.Id, 0, message.Body.Length), token);");
        b.AppendLine("    private async Task HandleChangeAsync(int value, CancellationToken token) => await _repository.SaveAsync(new Order(value, value, value), token);");
        b.AppendLine("    private Task<int> ComputeAsync(int id, CancellationToken token) => Task.FromResult(id * 2);");
        b.AppendLine("    private void Tick(int value) => Interlocked.Add(ref _processed, value);");
        b.AppendLine("}");
        return b.ToString();
    }

    public static List<string> Files(int seed, int count, bool pitfalls = true)
    {
        var files = new List<string>(count + 1) { Support };
        for (var i = 0; i < count; i++)
        {
            files.Add(File(seed, i, pitfalls: pitfalls));
        }

        return files;
    }
}
