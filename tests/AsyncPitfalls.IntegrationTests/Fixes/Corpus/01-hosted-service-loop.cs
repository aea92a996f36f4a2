using System;
using System.Threading;
using System.Threading.Tasks;

namespace Shop.Workers;

public abstract class BackgroundService
{
    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
}

public interface IOrderQueue
{
    Task<int?> DequeueAsync(CancellationToken cancellationToken);
    Task ProcessAsync(int orderId, CancellationToken cancellationToken);
}

public sealed class OrderWorker : BackgroundService
{
    private readonly IOrderQueue _queue;

    public OrderWorker(IOrderQueue queue) => _queue = queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                var next = await _queue.DequeueAsync(stoppingToken);
                if (next is int id)
                {
                    await _queue.ProcessAsync(id, stoppingToken);
                }
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"order failed: {ex.Message}");
            }
        }
    }
}
