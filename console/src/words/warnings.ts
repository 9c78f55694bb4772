import { section } from './section';

export const warnings = section(
  {
    menu: 'Warnings',
    title: 'Warnings',
    none: 'No open warnings',
    count: '{{count}} open',
    opened: 'Opened',
    order: 'Order',
    sku: 'SKU',
    message: 'Details',
    location: 'Location #{{id}}',
    noStage: 'Stock',
    kind: {
      DELAY: 'Order delayed',
      EXCEPTION: 'Delivery exception',
      LOW_STOCK: 'Low stock',
    },
    stage: {
      REVIEW: 'Waiting for review',
      BACKORDER: 'Waiting for stock',
      PICKING: 'Waiting to be picked',
      PICKUP: 'Waiting for the customer to collect',
      DELIVERY: 'In delivery',
      RETURN: 'Return in progress',
    },
  },
  {
    menu: '警告',
    title: '警告',
    none: '没有未处理的警告',
    count: '{{count}} 条未处理',
    opened: '发生时间',
    order: '订单',
    sku: 'SKU',
    message: '详情',
    location: '地点 #{{id}}',
    noStage: '库存',
    kind: {
      DELAY: '订单延误',
      EXCEPTION: '配送异常',
      LOW_STOCK: '库存不足',
    },
    stage: {
      REVIEW: '等待审核',
      BACKORDER: '等待补货',
      PICKING: '等待拣货',
      PICKUP: '等待顾客自提',
      DELIVERY: '配送中',
      RETURN: '退货处理中',
    },
  },
);
